package authz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// ErrAccessDenied is matched by every *DeniedError.
var ErrAccessDenied = errors.New("authz: access denied")

// Options configure an Authorizer. The zero value is the default.
type Options struct {
	// Logger receives operational logs; nil discards them.
	Logger *slog.Logger
}

// Authorizer decides whether principals may make requests, with AWS's
// evaluation logic (package eval), over the policies the store holds. It keeps
// each principal's compiled policy set until a change that can alter it (see
// Apply): of its user or role, of one of its groups or customer managed
// policies, or of an AWS managed policy. Safe for concurrent use.
type Authorizer struct {
	store store.Store
	aws   AWSPolicies
	log   *slog.Logger

	mu       sync.RWMutex
	accounts map[string]uint64 // account → generation; bumped by a change of a kind reachOf does not know
	entities map[entity]uint64 // user or role → generation; bumped by a change of it
	global   uint64            // bumped when AWS managed policies change
	// depChanges counts the changes of groups and customer managed
	// policies, which drop the sets made with them (dropDep): a set loaded
	// across one is not kept.
	depChanges uint64
	sets       map[string]cached              // Principal.cacheKey → compiled set
	holders    map[holder]map[string]struct{} // group or policy → the keys of the sets made with it
	maxSets    int                            // the most sets kept; maxCachedSets but in tests
	compiled   map[string]*eval.Set

	contexts sync.Pool
}

// maxCachedSets bounds the compiled sets kept. Every role session is a
// principal of its own, so without a bound the cache would grow with every
// AssumeRole; a set is small (the managed policies' compiled versions are
// shared), so the bound is generous.
const maxCachedSets = 20000

// cached is a principal's compiled set and the generations it was built at.
type cached struct {
	set       *eval.Set
	principal eval.Principal
	acct      string // the principal's account
	account   uint64 // the account's generation
	entity    entity // the user or role the set is made from
	ent       uint64 // the entity's generation
	global    uint64
	deps      []dep // its groups and customer managed policies
}

// current reports whether c was built at the generations in force. a.mu is
// held (read or write).
func (a *Authorizer) current(c *cached) bool {
	return c.account == a.accounts[c.acct] && c.ent == a.entities[c.entity] && c.global == a.global
}

// keep stores c under key; a full cache first drops the sets that are out of
// date, and if that is not enough, everything. a.mu is held.
func (a *Authorizer) keep(key string, c cached) {
	if old, ok := a.sets[key]; ok {
		a.forget(key, old)
	}
	if len(a.sets) >= a.maxSets {
		for k, old := range a.sets {
			if !a.current(&old) {
				a.forget(k, old)
			}
		}
		if len(a.sets) >= a.maxSets {
			clear(a.sets)
			clear(a.holders)
		}
	}
	a.sets[key] = c
	a.index(key, c)
}

// New returns an Authorizer over st. aws resolves the AWS managed policies.
func New(st store.Store, aws AWSPolicies, o Options) *Authorizer {
	a := &Authorizer{store: st, aws: aws, log: o.Logger,
		accounts: map[string]uint64{}, entities: map[entity]uint64{}, sets: map[string]cached{}, holders: map[holder]map[string]struct{}{}, maxSets: maxCachedSets, compiled: map[string]*eval.Set{}}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.contexts.New = func() any { return new(eval.Context) }
	return a
}

// Request is one API call to authorize: the action, the resource it acts on,
// and what the request itself tells about its context.
type Request struct {
	Action   string // "iam:CreateUser"
	Resource string // the resource's ARN, or "*"
	// ResourceAccount owns the resource; "" is the caller's account.
	ResourceAccount string
	Info            RequestInfo
	// Keys adds the operation's own condition keys (aws:RequestTag/…,
	// aws:TagKeys, iam:PolicyARN, …) to the context; nil adds none.
	Keys func(*eval.Context)
	// Trust is the role's trust policy (CompileTrust) for sts:AssumeRole and
	// the actions that come with it: it takes part as the resource-based
	// policy and must allow by itself, in the same account too.
	Trust *eval.Set
}

// Authorize decides r for p. It returns nil when the request is allowed and a
// *DeniedError (matching ErrAccessDenied) when it is not. The root of an
// account may do everything in its own account (IAM User Guide: "AWS account
// root user"); nothing in iamq restricts a root (it has no SCPs).
func (a *Authorizer) Authorize(ctx context.Context, p *Principal, r *Request) error {
	return a.decide(ctx, p, r, nil)
}

// Decide is Authorize for the decision log: for an allowed request it
// also fills why with the statements that allowed it, found during the
// decision itself (eval.Set.EvaluateReason), so that the log costs no
// second pass. why names none for a root in its own account, which no
// policy decides. A denial's explanation is in its *DeniedError.
func (a *Authorizer) Decide(ctx context.Context, p *Principal, r *Request, why *eval.Reason) error {
	return a.decide(ctx, p, r, why)
}

// decide decides r for p; why, when not nil, receives the statements that
// allowed it.
func (a *Authorizer) decide(ctx context.Context, p *Principal, r *Request, why *eval.Reason) error {
	if p.Kind == eval.PrincipalRoot && r.Trust == nil && (r.ResourceAccount == "" || r.ResourceAccount == p.Account) {
		return nil
	}
	var set *eval.Set
	var principal eval.Principal
	var err error
	if p.Kind == eval.PrincipalRoot {
		set, principal = eval.Merge(), eval.Principal{Kind: p.Kind, ARN: p.ARN, Account: p.Account, UserID: p.UserID}
	} else if set, principal, err = a.setFor(ctx, p); err != nil {
		return err
	}
	if r.Trust != nil {
		set = eval.Merge(set, r.Trust)
	}
	ec := a.contexts.Get().(*eval.Context)
	defer func() { ec.Reset(); a.contexts.Put(ec) }()
	r.Info.fill(ec, p)
	if r.Keys != nil {
		r.Keys(ec)
	}
	req := eval.Request{Principal: principal, Action: r.Action, Resource: r.Resource, ResourceAccount: r.ResourceAccount, Context: ec}
	var d eval.Decision
	if why != nil {
		d = set.EvaluateReason(&req, why)
	} else {
		d = set.Evaluate(&req)
	}
	if d == eval.Allowed && (r.Trust == nil || trusted(set, &req)) {
		return nil
	}
	x := set.Explain(&req)
	if r.Trust != nil {
		// STS names no policy type in an AssumeRole refusal.
		return &DeniedError{Message: "User: " + p.ARN + " is not authorized to perform: " + r.Action + " on resource: " + r.Resource,
			Action: r.Action, Resource: r.Resource, Explanation: x}
	}
	return denied(p, r, x)
}

// Set returns the compiled policies of p and the principal as eval sees it
// (with its tags and, for a role session, its role): what the simulator
// evaluates.
func (a *Authorizer) Set(ctx context.Context, p *Principal) (*eval.Set, eval.Principal, error) {
	return a.setFor(ctx, p)
}

func (a *Authorizer) setFor(ctx context.Context, p *Principal) (*eval.Set, eval.Principal, error) {
	key := p.cacheKey()
	a.mu.RLock()
	c, ok := a.sets[key]
	if ok && a.current(&c) {
		a.mu.RUnlock()
		return c.set, c.principal, nil
	}
	ent := entityOf(p)
	now := cached{acct: p.Account, account: a.accounts[p.Account], entity: ent, ent: a.entities[ent], global: a.global}
	depChanges := a.depChanges
	a.mu.RUnlock()
	src, err := a.load(ctx, p)
	if err != nil {
		return nil, eval.Principal{}, err
	}
	set, err := a.compile(p, src)
	if err != nil {
		return nil, eval.Principal{}, err
	}
	a.mu.Lock()
	// Keep it only if nothing changed while loading; otherwise the next
	// request loads again.
	if a.current(&now) && a.depChanges == depChanges {
		now.set, now.principal, now.deps = set, src.identity, src.deps
		a.keep(key, now)
	}
	a.mu.Unlock()
	return set, src.identity, nil
}

// compile builds p's set: the inline policies compiled here, each managed
// policy version compiled once and shared by every principal that holds it.
func (a *Authorizer) compile(p *Principal, src *sources) (*eval.Set, error) {
	var parts []*eval.Set
	if len(src.inline) > 0 {
		s, err := eval.Compile(eval.Policies{Identity: src.inline})
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	for _, m := range src.managed {
		s, err := a.compiledManaged(m, policy.KindIdentity)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	if src.boundary != nil {
		s, err := a.compiledManaged(*src.boundary, policy.KindBoundary)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	// A federated user's session policies always take part: without any,
	// the session may do nothing (STS API Reference, GetFederationToken).
	federated := p.Kind == eval.PrincipalFederatedUser && p.Session != nil
	if federated || p.Kind == eval.PrincipalRoleSession && p.Session != nil && (len(p.Session.Policies) > 0 || len(src.session) > 0) {
		s, err := a.compileSession(p, src)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return eval.Compile(eval.Policies{})
	}
	return eval.Merge(parts...), nil
}

// compileSession compiles a session's policies as one kind: the inline
// session policy and the managed session policies together must allow.
func (a *Authorizer) compileSession(p *Principal, src *sources) (*eval.Set, error) {
	var ps []eval.Policy
	for i, text := range p.Session.Policies {
		doc, err := policy.Parse(text)
		if err != nil {
			// Checked by AssumeRole; one that no longer parses allows
			// nothing, but the session kind stays present.
			doc = &policy.Document{Version: policy.Version20121017}
		}
		ps = append(ps, eval.Policy{ID: fmt.Sprintf("session/%d", i), Document: doc})
	}
	for _, m := range src.session {
		doc, err := policy.Parse(m.document)
		if err != nil {
			doc = &policy.Document{Version: policy.Version20121017}
		}
		ps = append(ps, eval.Policy{ID: m.arn, Version: m.version, Document: doc})
	}
	if len(ps) == 0 {
		// A federated user without session policies: the session kind is
		// present and allows nothing.
		ps = append(ps, eval.Policy{ID: "session/none", Document: &policy.Document{Version: policy.Version20121017}})
	}
	return eval.Compile(eval.Policies{Session: ps})
}

// compiledManaged returns the compiled form of one managed policy version as
// kind, compiling it on first use. Versions never change, so the cache needs
// no invalidation; a new default version has a new key.
func (a *Authorizer) compiledManaged(m managedRef, kind policy.Kind) (*eval.Set, error) {
	key := string(kind) + "\x00" + m.key
	a.mu.RLock()
	s, ok := a.compiled[key]
	a.mu.RUnlock()
	if ok {
		return s, nil
	}
	doc, err := policy.Parse(m.document)
	if err != nil {
		a.log.Warn("managed policy does not parse", "arn", m.arn, "version", m.version, "err", err)
		doc = &policy.Document{Version: policy.Version20121017}
	}
	pol := []eval.Policy{{ID: m.arn, Version: m.version, Document: doc}}
	var ps eval.Policies
	if kind == policy.KindBoundary {
		ps.Boundary = pol
	} else {
		ps.Identity = pol
	}
	s, err = eval.Compile(ps)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.compiled[key] = s
	a.mu.Unlock()
	return s, nil
}
