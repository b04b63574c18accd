package analyzerapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/server"
)

// This file is Access Analyzer's policy generation (IAM User Guide, "IAM
// Access Analyzer policy generation"; routes and shapes from the
// accessanalyzer service model): StartPolicyGeneration,
// GetGeneratedPolicy, ListPolicyGenerations and CancelPolicyGeneration.
//
// Where AWS reads the principal's calls from a CloudTrail trail, hours
// later, iamq reads its own decision log (internal/audit) at once: the
// cloudTrailDetails member is accepted, its startTime and endTime bound
// the calls read, its trails and access role are kept only to be reported
// back. The policy is the one 'iamq policy generate' writes (package
// analysis, proven to allow every call read). A job completes within its
// StartPolicyGeneration call and is stored, so that any node, and a
// restarted one, answers for it; CancelPolicyGeneration thus finds it
// done and changes nothing.

// The job statuses (JobStatus).
const (
	jobInProgress = "IN_PROGRESS"
	jobSucceeded  = "SUCCEEDED"
	jobFailed     = "FAILED"
	jobCanceled   = "CANCELED"
)

// codeConflict answers a client token reused for another principal.
const codeConflict server.Code = "ConflictException"

// Bounds of the requests.
const (
	maxClientToken    = 64
	maxTrailsBytes    = 16 << 10 // the trails kept of a cloudTrailDetails
	maxGenerationList = 1000     // ListPolicyGenerations' maxResults
)

// startGenerationInput is StartPolicyGeneration's body.
type startGenerationInput struct {
	PolicyGenerationDetails *struct {
		PrincipalArn *string `json:"principalArn"`
	} `json:"policyGenerationDetails"`
	ClientToken       *string `json:"clientToken"`
	CloudTrailDetails *struct {
		Trails     json.RawMessage `json:"trails"`
		AccessRole *string         `json:"accessRole"`
		StartTime  *time.Time      `json:"startTime"`
		EndTime    *time.Time      `json:"endTime"`
	} `json:"cloudTrailDetails"`
}

// startGeneration is StartPolicyGeneration.
func (a *api) startGeneration(ctx context.Context, c *server.Call) (any, error) {
	if a.opts.Log == nil {
		return nil, server.Errorf(codeValidation, "policy generation reads the decision log, which is off on this server (iamq serve --audit=false)")
	}
	g, err := a.generationRequest(c)
	if err != nil {
		return nil, err
	}
	if g.ClientToken != "" {
		// The same request again answers with the first job.
		if old, err := a.opts.Log.Generation(ctx, g.Account, "", g.ClientToken); err == nil {
			if old.Principal != g.Principal {
				return nil, conflict("the client token was used for another principal's job")
			}
			return map[string]string{"jobId": old.ID}, nil
		} else if !errors.Is(err, audit.ErrNoGeneration) {
			return nil, err
		}
	}
	a.generate(ctx, &g)
	if err := a.opts.Log.SaveGeneration(ctx, g, true); err != nil {
		if errors.Is(err, audit.ErrGenerationExists) {
			return nil, conflict("a job with the client token is being started")
		}
		return nil, err
	}
	return map[string]string{"jobId": g.ID}, nil
}

// conflict is a ConflictException (HTTP 409).
func conflict(message string) error {
	e := server.Errorf(codeConflict, message)
	e.Status = http.StatusConflict
	return e
}

// generationRequest reads and checks StartPolicyGeneration's input: the
// principal must be a user or a role of the caller's account.
func (a *api) generationRequest(c *server.Call) (audit.Generation, error) {
	var in startGenerationInput
	if err := json.Unmarshal(c.Body, &in); err != nil {
		return audit.Generation{}, validationError("body", "is not a StartPolicyGeneration request: "+err.Error())
	}
	if in.PolicyGenerationDetails == nil || in.PolicyGenerationDetails.PrincipalArn == nil {
		return audit.Generation{}, validationError("policyGenerationDetails.principalArn", "is required")
	}
	principal := *in.PolicyGenerationDetails.PrincipalArn
	p, err := arn.Parse(principal)
	typ, _, _ := strings.Cut(p.Resource, "/")
	if err != nil || p.Service != "iam" || (typ != arn.TypeUser && typ != arn.TypeRole) {
		return audit.Generation{}, validationError("policyGenerationDetails.principalArn", "must be the ARN of an IAM user or role")
	}
	if p.Account != c.Caller.Account {
		return audit.Generation{}, validationError("policyGenerationDetails.principalArn", "must be a user or role of account "+c.Caller.Account)
	}
	g := audit.Generation{Account: c.Caller.Account, ID: newJobID(), Principal: principal, Started: c.Time.UTC(), Until: c.Time.UTC()}
	if in.ClientToken != nil {
		if len(*in.ClientToken) > maxClientToken {
			return audit.Generation{}, validationError("clientToken", fmt.Sprintf("is longer than %d characters", maxClientToken))
		}
		g.ClientToken = *in.ClientToken
	}
	if d := in.CloudTrailDetails; d != nil {
		if d.StartTime == nil {
			return audit.Generation{}, validationError("cloudTrailDetails.startTime", "is required")
		}
		g.Since = d.StartTime.UTC()
		if d.EndTime != nil {
			g.Until = d.EndTime.UTC()
		}
		if !g.Since.Before(g.Until) {
			return audit.Generation{}, validationError("cloudTrailDetails.startTime", "must be before the end time")
		}
		if len(d.Trails) > maxTrailsBytes {
			return audit.Generation{}, validationError("cloudTrailDetails.trails", "is too long")
		}
		g.Trails = d.Trails
	}
	return g, nil
}

// generate writes the job's policy from the log, and its outcome.
func (a *api) generate(ctx context.Context, g *audit.Generation) {
	fail := func(err error) {
		g.Status, g.ErrorCode, g.ErrorMessage = jobFailed, "SERVICE_ERROR", err.Error()
	}
	defer func() { g.Completed = time.Now().UTC() }()
	calls, complete, err := a.opts.Log.PrincipalCalls(ctx, g.Principal, g.Since, g.Until)
	if err != nil {
		fail(err)
		return
	}
	g.Status, g.Complete = jobSucceeded, complete
	if len(calls) == 0 {
		return // nothing was called: no policy
	}
	in := make([]analysis.Call, len(calls))
	for i, c := range calls {
		in[i] = analysis.Call{Action: c.Action, Resource: c.Resource}
	}
	gen, err := analysis.Generate(in, analysis.GenerateOptions{})
	if err != nil {
		fail(err)
		return
	}
	g.Policies = []string{gen.Text}
	g.Complete = complete && gen.Proof.Verdict == analysis.Proven
}

// newJobID is a random (version 4) UUID, as Access Analyzer's job ids are.
func newJobID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// job finds the call's job ({jobId} of the route): a ValidationException
// when the account has none of that id, as the model gives no other error.
func (a *api) job(ctx context.Context, c *server.Call) (audit.Generation, error) {
	id := c.HTTP.PathValue("jobId")
	if a.opts.Log == nil {
		return audit.Generation{}, validationError("jobId", "no policy generation job "+id)
	}
	g, err := a.opts.Log.Generation(ctx, c.Caller.Account, id, "")
	if errors.Is(err, audit.ErrNoGeneration) || (err == nil && id == "") {
		return audit.Generation{}, validationError("jobId", "no policy generation job "+id)
	}
	return g, err
}

// getGeneratedPolicy is GetGeneratedPolicy. includeResourcePlaceholders
// and includeServiceLevelTemplate are accepted (as booleans) and change
// nothing: the policy names the resources the calls named.
func (a *api) getGeneratedPolicy(ctx context.Context, c *server.Call) (any, error) {
	q := c.HTTP.URL.Query()
	for _, name := range []string{"includeResourcePlaceholders", "includeServiceLevelTemplate"} {
		if v := q.Get(name); v != "" {
			if _, err := strconv.ParseBool(v); err != nil {
				return nil, validationError(name, "must be true or false")
			}
		}
	}
	g, err := a.job(ctx, c)
	if err != nil {
		return nil, err
	}
	details := map[string]any{"jobId": g.ID, "status": g.Status, "startedOn": timestamp(g.Started)}
	if !g.Completed.IsZero() {
		details["completedOn"] = timestamp(g.Completed)
	}
	if g.ErrorCode != "" {
		details["jobError"] = map[string]string{"code": g.ErrorCode, "message": g.ErrorMessage}
	}
	trail := map[string]any{"startTime": timestamp(g.Since), "endTime": timestamp(g.Until), "trailProperties": trailProperties(g.Trails)}
	policies := []map[string]string{}
	for _, p := range g.Policies {
		policies = append(policies, map[string]string{"policy": p})
	}
	return map[string]any{
		"jobDetails": details,
		"generatedPolicyResult": map[string]any{
			"properties":        map[string]any{"principalArn": g.Principal, "isComplete": g.Complete, "cloudTrailProperties": trail},
			"generatedPolicies": policies,
		},
	}, nil
}

// trailProperties reports the trails a job named (Trail → TrailProperties:
// the same members).
func trailProperties(raw json.RawMessage) []any {
	var trails []any
	if len(raw) > 0 && json.Unmarshal(raw, &trails) == nil && trails != nil {
		return trails
	}
	return []any{}
}

// listPolicyGenerations is ListPolicyGenerations, newest first.
func (a *api) listPolicyGenerations(ctx context.Context, c *server.Call) (any, error) {
	q := c.HTTP.URL.Query()
	size := maxGenerationList
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxGenerationList {
			return nil, validationError("maxResults", fmt.Sprintf("must be a number from 1 to %d", maxGenerationList))
		}
		size = n
	}
	from := 0
	if t := q.Get("nextToken"); t != "" {
		n, ok := parseToken(t)
		if !ok {
			return nil, validationError("nextToken", "is not a token this operation returned")
		}
		from = n
	}
	principal := q.Get("principalArn")
	var list []audit.Generation
	if a.opts.Log != nil {
		var err error
		if list, err = a.opts.Log.Generations(ctx, c.Caller.Account, principal); err != nil {
			return nil, err
		}
	}
	out := map[string]any{}
	page := []map[string]any{}
	for i := from; i < len(list) && i < from+size; i++ {
		g := list[i]
		e := map[string]any{"jobId": g.ID, "principalArn": g.Principal, "startedOn": timestamp(g.Started), "status": g.Status}
		if !g.Completed.IsZero() {
			e["completedOn"] = timestamp(g.Completed)
		}
		page = append(page, e)
	}
	out["policyGenerations"] = page
	if from+size < len(list) {
		out["nextToken"] = makeToken(from + size)
	}
	return out, nil
}

// cancelPolicyGeneration is CancelPolicyGeneration: a job in progress is
// canceled; a finished one (every job, since iamq's complete as they
// start) is left as it is.
func (a *api) cancelPolicyGeneration(ctx context.Context, c *server.Call) (any, error) {
	g, err := a.job(ctx, c)
	if err != nil {
		return nil, err
	}
	if g.Status == jobInProgress {
		g.Status, g.Completed = jobCanceled, c.Time.UTC()
		if err := a.opts.Log.SaveGeneration(ctx, g, false); err != nil {
			return nil, err
		}
	}
	return struct{}{}, nil
}

// timestamp is a time as the model's timestamps are written (ISO 8601,
// UTC, milliseconds).
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
