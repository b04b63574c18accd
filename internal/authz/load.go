package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// AWSPolicies resolves the AWS managed policies, which the store does not
// hold: they belong to the pseudo-account "aws" and are the same in every
// account. internal/managed implements it.
type AWSPolicies interface {
	// DefaultVersion returns the id and the document of the version in force
	// of the AWS managed policy policyARN, or an error wrapping store.ErrNotFound.
	DefaultVersion(ctx context.Context, policyARN string) (versionID, document string, err error)
}

// managedRef is a managed policy that applies to a principal, resolved to the
// version in force. key names the version's compiled form in the cache:
// an AWS managed policy's ARN, or a customer managed policy's id (which a
// deleted and re-created policy does not share), with the version.
type managedRef struct {
	arn, version, document, key string
}

// sources are a principal's policies, read from the store in one view.
type sources struct {
	inline   []eval.Policy
	managed  []managedRef
	boundary *managedRef
	session  []managedRef // managed session policies (PolicyArns)
	identity eval.Principal
	// deps are the groups and customer managed policies the set is made
	// of, found or not: a change of one of them drops the set.
	deps []dep
}

// load reads the policies that apply to p: those of the user and the user's
// groups, or of the role; the permissions boundary; a session's managed
// session policies. IAM User Guide: "Policy evaluation logic".
func (a *Authorizer) load(ctx context.Context, p *Principal) (*sources, error) {
	src := &sources{identity: eval.Principal{Kind: p.Kind, ARN: p.ARN, Account: p.Account, UserID: p.UserID}}
	err := a.store.View(ctx, p.Account, func(tx store.Tx) error {
		switch p.Kind {
		case eval.PrincipalUser:
			return a.loadUser(ctx, tx, p, src)
		case eval.PrincipalRoleSession:
			return a.loadRoleSession(ctx, tx, p, src)
		case eval.PrincipalFederatedUser:
			return a.loadFederatedUser(ctx, tx, p, src)
		}
		return fmt.Errorf("authz: no policies to load for a principal of kind %v", p.Kind)
	})
	if err != nil {
		return nil, err
	}
	return src, nil
}

func (a *Authorizer) loadUser(ctx context.Context, tx store.Tx, p *Principal, src *sources) error {
	u, err := tx.User(p.Name)
	if err != nil {
		return err
	}
	for _, t := range u.Tags {
		src.identity.Tags = append(src.identity.Tags, eval.Tag{Key: t.Key, Value: t.Value})
	}
	if err := a.loadEntity(ctx, tx, store.EntityRef{Kind: store.KindUser, Name: u.Name}, src); err != nil {
		return err
	}
	groups, err := all(func(o store.ListOptions) (store.Page[store.Group], error) { return tx.GroupsForUser(u.Name, o) })
	if err != nil {
		return err
	}
	for _, g := range groups {
		src.deps = append(src.deps, dep{kind: store.KindGroup, name: strings.ToLower(g.Name)})
		if err := a.loadEntity(ctx, tx, store.EntityRef{Kind: store.KindGroup, Name: g.Name}, src); err != nil {
			return err
		}
	}
	return a.loadBoundary(ctx, tx, u.PermissionsBoundary, src)
}

func (a *Authorizer) loadRoleSession(ctx context.Context, tx store.Tx, p *Principal, src *sources) error {
	r, err := tx.Role(p.Name)
	if err != nil {
		return err
	}
	src.identity.IdentityARN = arn.Role(p.Account, r.Path, r.Name).String()
	for _, t := range r.Tags {
		src.identity.Tags = append(src.identity.Tags, eval.Tag{Key: t.Key, Value: t.Value})
	}
	// Session tags override the role's tags of the same key (IAM User Guide:
	// "Passing session tags in AWS STS").
	var sess Session
	if p.Session != nil {
		sess = *p.Session
	}
	for _, t := range sess.Tags {
		src.identity.Tags = setTag(src.identity.Tags, eval.Tag{Key: t.Key, Value: t.Value})
	}
	if err := a.loadEntity(ctx, tx, store.EntityRef{Kind: store.KindRole, Name: r.Name}, src); err != nil {
		return err
	}
	if err := a.loadSessionPolicies(ctx, tx, sess.PolicyARNs, src); err != nil {
		return err
	}
	return a.loadBoundary(ctx, tx, r.PermissionsBoundary, src)
}

// rootPolicy stands for a root's permissions in a root's federated
// session: everything, in its own account.
const rootPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// loadSessionPolicies resolves a session's managed session policies.
func (a *Authorizer) loadSessionPolicies(ctx context.Context, tx store.Tx, arns []string, src *sources) error {
	for _, policyARN := range arns {
		ref, err := a.use(ctx, tx, src, policyARN)
		if errors.Is(err, store.ErrNotFound) {
			// A session policy that does not exist (or no longer does)
			// allows nothing; the session kind stays present.
			ref = managedRef{arn: policyARN, key: "missing:" + policyARN, document: `{"Version":"2012-10-17","Statement":[]}`}
		} else if err != nil {
			return err
		}
		src.session = append(src.session, ref)
	}
	return nil
}

// loadFederatedUser loads a GetFederationToken session: the user's
// policies, tags (session tags override them) and boundary, and the
// session's managed policies (STS API Reference, GetFederationToken).
func (a *Authorizer) loadFederatedUser(ctx context.Context, tx store.Tx, p *Principal, src *sources) error {
	if p.Name == "" {
		// A root's federation token: the root may do everything in its
		// account, so the session policies alone limit the session.
		src.identity.IdentityARN = arn.Root(p.Account).String()
		doc, err := policy.Parse(rootPolicy)
		if err != nil {
			return err
		}
		src.inline = append(src.inline, eval.Policy{ID: "root", Document: doc})
		return a.loadSessionPolicies(ctx, tx, p.Session.PolicyARNs, src)
	}
	if err := a.loadUser(ctx, tx, p, src); err != nil {
		return err
	}
	u, err := tx.User(p.Name)
	if err != nil {
		return err
	}
	src.identity.IdentityARN = arn.User(p.Account, u.Path, u.Name).String()
	for _, t := range p.Session.Tags {
		src.identity.Tags = setTag(src.identity.Tags, eval.Tag{Key: t.Key, Value: t.Value})
	}
	return a.loadSessionPolicies(ctx, tx, p.Session.PolicyARNs, src)
}

// loadEntity adds a user's, group's or role's inline and attached policies.
func (a *Authorizer) loadEntity(ctx context.Context, tx store.Tx, e store.EntityRef, src *sources) error {
	inline, err := all(func(o store.ListOptions) (store.Page[store.InlinePolicy], error) { return tx.InlinePolicies(e, o) })
	if err != nil {
		return err
	}
	for _, ip := range inline {
		doc, err := policy.Parse(ip.Document)
		if err != nil {
			// Stored documents were validated when put; one that no longer
			// parses grants nothing.
			a.log.Warn("inline policy does not parse", "entity", e.Name, "policy", ip.Name, "err", err)
			continue
		}
		src.inline = append(src.inline, eval.Policy{ID: string(e.Kind) + "/" + e.Name + "/" + ip.Name, Document: doc})
	}
	attached, err := all(func(o store.ListOptions) (store.Page[store.AttachedPolicy], error) { return tx.AttachedPolicies(e, o) })
	if err != nil {
		return err
	}
	for _, ap := range attached {
		ref, err := a.use(ctx, tx, src, ap.ARN)
		if errors.Is(err, store.ErrNotFound) {
			continue // detached or deleted meanwhile: it grants nothing
		}
		if err != nil {
			return err
		}
		src.managed = append(src.managed, ref)
	}
	return nil
}

func (a *Authorizer) loadBoundary(ctx context.Context, tx store.Tx, policyARN string, src *sources) error {
	if policyARN == "" {
		return nil
	}
	ref, err := a.use(ctx, tx, src, policyARN)
	if errors.Is(err, store.ErrNotFound) {
		// A boundary whose policy is gone allows nothing: keep it present
		// and empty, never absent (absent would lift the boundary).
		ref = managedRef{arn: policyARN, key: "missing:" + policyARN, document: `{"Version":"2012-10-17","Statement":[]}`}
	} else if err != nil {
		return err
	}
	src.boundary = &ref
	return nil
}

// use resolves a managed policy that takes part in src, and records a
// customer managed policy among src's deps even when it is not found (its
// creation would change the set).
func (a *Authorizer) use(ctx context.Context, tx store.Tx, src *sources, policyARN string) (managedRef, error) {
	if account, _, name, ok := splitPolicyARN(policyARN); ok && account == tx.Account().ID {
		src.deps = append(src.deps, dep{kind: store.KindPolicy, name: strings.ToLower(name)})
	}
	return a.resolve(ctx, tx, policyARN)
}

// resolve finds the version in force of a managed policy: an AWS managed
// policy through AWSPolicies, a customer managed one in the store.
func (a *Authorizer) resolve(ctx context.Context, tx store.Tx, policyARN string) (managedRef, error) {
	account, path, name, ok := splitPolicyARN(policyARN)
	if !ok {
		return managedRef{}, fmt.Errorf("authz: policy ARN %q: %w", policyARN, store.ErrNotFound)
	}
	if account == arn.AWSAccount {
		version, doc, err := a.aws.DefaultVersion(ctx, policyARN)
		if err != nil {
			return managedRef{}, err
		}
		return managedRef{arn: policyARN, version: version, document: doc, key: policyARN + "@" + version}, nil
	}
	if account != tx.Account().ID {
		return managedRef{}, fmt.Errorf("authz: policy %s of another account: %w", policyARN, store.ErrNotFound)
	}
	pol, err := tx.Policy(name)
	if err != nil {
		return managedRef{}, err
	}
	if pol.Path != path {
		return managedRef{}, fmt.Errorf("authz: policy %s: %w", policyARN, store.ErrNotFound)
	}
	v, err := tx.PolicyVersion(name, pol.DefaultVersionID)
	if err != nil {
		return managedRef{}, err
	}
	return managedRef{arn: policyARN, version: v.ID, document: v.Document, key: pol.ID + "@" + v.ID}, nil
}

// PolicyExists reports whether the managed policy arn exists as account sees
// it, as a session or an attachment would resolve it: an AWS managed policy,
// or a customer managed policy of account with that path and name. The
// error wraps store.ErrNotFound when it does not. It is STS's check of
// AssumeRole's PolicyArns (sts.PolicyLookup).
func (a *Authorizer) PolicyExists(ctx context.Context, account, arn string) error {
	return a.store.View(ctx, account, func(tx store.Tx) error {
		_, err := a.resolve(ctx, tx, arn)
		return err
	})
}

// splitPolicyARN splits arn:aws:iam::ACCOUNT:policy/PATH/NAME.
func splitPolicyARN(policyARN string) (account, path, name string, ok bool) {
	a, ok := arn.Split(policyARN)
	if !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" {
		return "", "", "", false
	}
	r := arn.SplitIAMResource(a.Resource)
	return a.Account, r.Path, r.Name, r.Type == arn.TypePolicy && r.Name != ""
}

// all reads every page of a list.
func all[T any](list func(store.ListOptions) (store.Page[T], error)) ([]T, error) {
	var out []T
	o := store.ListOptions{MaxItems: 1000}
	for {
		page, err := list(o)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if !page.Truncated() {
			return out, nil
		}
		o.Marker = page.Marker
	}
}

func setTag(tags []eval.Tag, t eval.Tag) []eval.Tag {
	for i := range tags {
		if strings.EqualFold(tags[i].Key, t.Key) {
			tags[i] = t
			return tags
		}
	}
	return append(tags, t)
}
