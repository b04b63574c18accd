package iamapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// IAM's last-accessed data (issue 23), computed from the decision log:
// GenerateServiceLastAccessedDetails makes a job for a user, group, role or
// policy, and GetServiceLastAccessedDetails (…WithEntities) reads it. The
// job completes at once (iamq has the log at hand); jobs are kept in the
// process's memory, the newest maxJobs, as AWS keeps a job's report for a
// while (IAM API Reference, GenerateServiceLastAccessedDetails).

// lastAccessOps are the last-accessed operations; without a decision log
// they are not served.
func lastAccessOps() []operation {
	return []operation{
		{"GenerateServiceLastAccessedDetails", (*api).generateLastAccessed, lastAccessedResource},
		{"GetServiceLastAccessedDetails", (*api).getLastAccessed, anyResource},
		{"GetServiceLastAccessedDetailsWithEntities", (*api).getLastAccessedEntities, anyResource},
	}
}

// maxJobs bounds the jobs kept; maxJobEntities the entities one job covers
// (a group's members, a policy's holders); maxListPage is IAM's largest
// page, defaultPage its default.
const (
	maxJobs        = 1000
	maxJobEntities = 500
	maxListPage    = 1000
	defaultPage    = 100
)

// Granularities of a job (the model's AccessAdvisorUsageGranularityType).
const (
	granularityService = "SERVICE_LEVEL"
	granularityAction  = "ACTION_LEVEL"
)

// lastAccessJob is one completed job.
type lastAccessJob struct {
	account     string
	granularity string
	created     time.Time
	services    []audit.ServiceAccess
	entities    []string              // the entities' keys (audit.Entity)
	info        map[string]entityInfo // by key
}

// entityInfo is the model's EntityInfo.
type entityInfo struct {
	Arn  string
	Name string
	Type string // USER, ROLE, GROUP
	Id   string
	Path string
}

// jobs are the last-accessed jobs of this process.
type jobs struct {
	mu    sync.Mutex
	m     map[string]*lastAccessJob
	order []string
}

func (j *jobs) put(job *lastAccessJob) string {
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:4]) + "-" + hex.EncodeToString(b[4:6]) + "-" + hex.EncodeToString(b[6:8]) + "-" +
		hex.EncodeToString(b[8:10]) + "-" + hex.EncodeToString(b[10:])
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]*lastAccessJob{}
	}
	if len(j.order) >= maxJobs {
		delete(j.m, j.order[0])
		j.order = j.order[1:]
	}
	j.m[id] = job
	j.order = append(j.order, id)
	return id
}

// get returns account's job id (NoSuchEntity for another account's).
func (j *jobs) get(account, id string) (*lastAccessJob, error) {
	j.mu.Lock()
	job := j.m[id]
	j.mu.Unlock()
	if job == nil || job.account != account {
		return nil, server.Errorf(codeNoSuchEntity, "The job "+id+" cannot be found.")
	}
	return job, nil
}

// lastAccessedResource is the ARN the job is asked for, when it names an
// entity of the caller's account (else "*": only a caller allowed on every
// resource learns that it does not exist).
func lastAccessedResource(ctx context.Context, a *api, c *server.Call) string {
	if p, err := arn.Parse(c.Form.Get("Arn")); err == nil && p.Account == c.Caller.Account && p.Service == "iam" {
		return p.String()
	}
	return "*"
}

func (a *api) generateLastAccessed(ctx context.Context, c *server.Call) (any, error) {
	target := c.Form.String("Arn")
	gran := c.Form.Get("Granularity")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	switch gran {
	case "":
		gran = granularityService
	case granularityService, granularityAction:
	default:
		return nil, server.Errorf(codeInvalidInput, "1 validation error detected: Value '"+gran+
			"' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]")
	}
	job := &lastAccessJob{account: c.Caller.Account, granularity: gran, created: c.Time, info: map[string]entityInfo{}}
	if err := a.resolveEntities(ctx, c.Caller.Account, target, job); err != nil {
		return nil, err
	}
	services, err := a.audit.LastAccessed(ctx, job.account, job.entities)
	if err != nil {
		return nil, err
	}
	if gran == granularityService {
		for i := range services {
			services[i].Actions = nil
		}
	}
	job.services = services
	return struct{ JobId string }{a.jobs.put(job)}, nil
}

// resolveEntities finds the entities a job covers: the user or role
// itself, a group's members, a policy's users, roles and groups' members.
func (a *api) resolveEntities(ctx context.Context, account, target string, job *lastAccessJob) error {
	p, err := arn.Parse(target)
	typ, rest, _ := strings.Cut(p.Resource, "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	if err != nil || p.Service != "iam" || p.Account != account || name == "" {
		return server.Errorf(codeInvalidInput, "Invalid ARN "+target+": give the ARN of a user, group, role or policy of your account.")
	}
	kinds := map[string]iam.Kind{arn.TypeUser: iam.KindUser, arn.TypeRole: iam.KindRole, arn.TypeGroup: iam.KindGroup}
	if kind, ok := kinds[typ]; ok {
		if stored, ok := a.iam.EntityARN(ctx, account, kind, name); !ok || stored != target {
			return server.Errorf(codeNoSuchEntity, "The "+typ+" with name "+name+" cannot be found.")
		}
		return a.addEntity(ctx, account, kind, name, job)
	}
	if typ != arn.TypePolicy {
		return server.Errorf(codeInvalidInput, "Invalid ARN "+target+": give the ARN of a user, group, role or policy.")
	}
	page, err := a.iam.ListEntitiesForPolicy(ctx, account, iam.ListEntitiesForPolicyInput{PolicyARN: target,
		ListInput: iam.ListInput{MaxItems: maxListPage}, Usage: iam.PolicyUsage("PermissionsPolicy")})
	if err != nil {
		return err
	}
	for _, e := range page.Items {
		if err := a.addEntity(ctx, account, e.Kind, e.Name, job); err != nil {
			return err
		}
	}
	return nil
}

// addEntity adds a user or role, or a group's members, to the job.
func (a *api) addEntity(ctx context.Context, account string, kind iam.Kind, name string, job *lastAccessJob) error {
	add := func(info entityInfo) {
		key := audit.Entity(info.Arn)
		if _, dup := job.info[key]; !dup && len(job.entities) < maxJobEntities {
			job.info[key] = info
			job.entities = append(job.entities, key)
		}
	}
	switch kind {
	case iam.KindUser:
		u, err := a.iam.GetUser(ctx, account, name)
		if err != nil {
			return err
		}
		add(entityInfo{Arn: arn.User(account, u.Path, u.Name).String(), Name: u.Name, Type: "USER", Id: u.ID, Path: u.Path})
	case iam.KindRole:
		r, err := a.iam.GetRole(ctx, account, name)
		if err != nil {
			return err
		}
		add(entityInfo{Arn: arn.Role(account, r.Path, r.Name).String(), Name: r.Name, Type: "ROLE", Id: r.ID, Path: r.Path})
	case iam.KindGroup:
		g, err := a.iam.GetGroup(ctx, account, name, iam.ListInput{MaxItems: maxListPage})
		if err != nil {
			return err
		}
		for _, u := range g.Users.Items {
			add(entityInfo{Arn: arn.User(account, u.Path, u.Name).String(), Name: u.Name, Type: "USER", Id: u.ID, Path: u.Path})
		}
	}
	return nil
}

// xmlServiceLastAccessed is the model's ServiceLastAccessed.
type xmlServiceLastAccessed struct {
	ServiceName                string
	LastAuthenticated          string `xml:",omitempty"`
	ServiceNamespace           string
	LastAuthenticatedEntity    string `xml:",omitempty"`
	LastAuthenticatedRegion    string `xml:",omitempty"`
	TotalAuthenticatedEntities int
	TrackedActionsLastAccessed *members[xmlTrackedAction] `xml:",omitempty"`
}

// xmlTrackedAction is the model's TrackedActionLastAccessed.
type xmlTrackedAction struct {
	ActionName         string
	LastAccessedEntity string
	LastAccessedTime   string
	LastAccessedRegion string
}

type lastAccessedResult struct {
	JobStatus            string
	JobType              string
	JobCreationDate      string
	ServicesLastAccessed members[xmlServiceLastAccessed]
	JobCompletionDate    string
	IsTruncated          bool
	Marker               string `xml:",omitempty"`
}

// serviceNames are the services' names as IAM gives them.
var serviceNames = map[string]string{"iam": "AWS Identity and Access Management", "sts": "AWS Security Token Service",
	"mq": "Amazon MQ", "access-analyzer": "IAM Access Analyzer"}

func (a *api) getLastAccessed(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("JobId")
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	job, err := a.jobs.get(c.Caller.Account, id)
	if err != nil {
		return nil, err
	}
	from, to, next, err := window(in, len(job.services))
	if err != nil {
		return nil, err
	}
	out := lastAccessedResult{JobStatus: "COMPLETED", JobType: job.granularity, JobCreationDate: server.ISODate(job.created),
		JobCompletionDate: server.ISODate(job.created), IsTruncated: next != "", Marker: next}
	out.ServicesLastAccessed.Member = []xmlServiceLastAccessed{}
	for _, s := range job.services[from:to] {
		x := xmlServiceLastAccessed{ServiceName: orValue(serviceNames[s.Namespace], s.Namespace), ServiceNamespace: s.Namespace,
			LastAuthenticated: server.ISODate(s.Last), LastAuthenticatedEntity: job.info[s.Entity].Arn,
			LastAuthenticatedRegion: s.Region, TotalAuthenticatedEntities: s.Entities}
		if job.granularity == granularityAction && audit.ActionTracked(s.Namespace) {
			x.TrackedActionsLastAccessed = &members[xmlTrackedAction]{}
			for _, act := range s.Actions {
				x.TrackedActionsLastAccessed.Member = append(x.TrackedActionsLastAccessed.Member, xmlTrackedAction{ActionName: act.Name,
					LastAccessedEntity: job.info[act.Entity].Arn, LastAccessedTime: server.ISODate(act.Last), LastAccessedRegion: act.Region})
			}
		}
		out.ServicesLastAccessed.Member = append(out.ServicesLastAccessed.Member, x)
	}
	return out, nil
}

type xmlEntityDetails struct {
	EntityInfo        entityInfo
	LastAuthenticated string `xml:",omitempty"`
}

type lastAccessedEntitiesResult struct {
	JobStatus         string
	JobCreationDate   string
	JobCompletionDate string
	EntityDetailsList members[xmlEntityDetails]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

func (a *api) getLastAccessedEntities(ctx context.Context, c *server.Call) (any, error) {
	id, ns := c.Form.String("JobId"), c.Form.String("ServiceNamespace")
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	job, err := a.jobs.get(c.Caller.Account, id)
	if err != nil {
		return nil, err
	}
	used, err := a.audit.EntitiesAccessed(ctx, job.account, job.entities, ns)
	if err != nil {
		return nil, err
	}
	from, to, next, err := window(in, len(used))
	if err != nil {
		return nil, err
	}
	out := lastAccessedEntitiesResult{JobStatus: "COMPLETED", JobCreationDate: server.ISODate(job.created),
		JobCompletionDate: server.ISODate(job.created), IsTruncated: next != "", Marker: next}
	out.EntityDetailsList.Member = []xmlEntityDetails{}
	for _, u := range used[from:to] {
		out.EntityDetailsList.Member = append(out.EntityDetailsList.Member, xmlEntityDetails{EntityInfo: job.info[u.Entity], LastAuthenticated: server.ISODate(u.Last)})
	}
	return out, nil
}

// window is the page of n items that in's Marker and MaxItems select, and
// the next page's marker ("" on the last).
func window(in iam.ListInput, n int) (from, to int, next string, err error) {
	if in.Marker != "" {
		if from, err = strconv.Atoi(in.Marker); err != nil || from < 0 || from > n {
			return 0, 0, "", server.Errorf(codeInvalidInput, "Invalid Marker.")
		}
	}
	size := in.MaxItems
	if size == 0 {
		size = defaultPage
	}
	to = min(from+size, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next, nil
}

func orValue(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
