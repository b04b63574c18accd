package iam

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// ManagedPolicy is a managed policy as GetPolicy and ListPolicies describe it
// (IAM API Reference, Policy data type): a customer managed policy of the
// account, or an AWS managed policy seen from the account (its counts are the
// account's own).
type ManagedPolicy struct {
	Name             string
	ID               string
	ARN              string
	Path             string
	DefaultVersionID string
	// AttachmentCount counts the account's users, groups and roles that
	// carry the policy; BoundaryUsageCount those of its users and roles that
	// have it as their permissions boundary.
	AttachmentCount    int
	BoundaryUsageCount int
	// Attachable is what IAM reports: true, even for service-role policies
	// (attaching those is refused at attach time).
	Attachable  bool
	Description string
	Created     time.Time
	Updated     time.Time
	Tags        []store.Tag // GetPolicy only
	// AWSManaged is true for a policy of the pseudo-account "aws".
	AWSManaged bool
}

// fromStore describes a customer managed policy.
func fromStore(p store.Policy) ManagedPolicy {
	return ManagedPolicy{Name: p.Name, ID: p.ID, ARN: store.PolicyARN(p.AccountID, p.Path, p.Name), Path: p.Path,
		DefaultVersionID: p.DefaultVersionID, AttachmentCount: p.AttachmentCount, BoundaryUsageCount: p.BoundaryUsageCount,
		Attachable: true, Description: p.Description, Created: p.Created, Updated: p.Updated, Tags: p.Tags}
}

// fromLibrary describes an AWS managed policy with the account's counts.
func fromLibrary(p *managed.Policy, attached, bounded map[string]int) ManagedPolicy {
	arn := p.ARN()
	return ManagedPolicy{Name: p.Name, ID: p.ID, ARN: arn, Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: attached[arn], BoundaryUsageCount: bounded[arn], Attachable: p.Attachable,
		Description: p.Description, Created: p.CreateDate, Updated: p.UpdateDate, AWSManaged: true}
}

// resolved is a managed policy named by ARN: an AWS managed policy (aws is
// set) or a customer managed policy of the account (local is).
type resolved struct {
	ref   policyRef
	aws   *managed.Policy
	local store.Policy
}

// arn returns the policy's ARN as IAM spells it (the given ARN may differ in
// case from the stored name).
func (r resolved) arn() string {
	if r.aws != nil {
		return r.aws.ARN()
	}
	return store.PolicyARN(r.local.AccountID, r.local.Path, r.local.Name)
}

// The NoSuchEntity messages of the operations that name a policy by ARN.
const (
	// msgPolicyNotFound: GetPolicy and the other policy operations.
	// Verified: real IAM output quoted in a public EKS setup script
	// ("Policy arn:aws:iam::…:policy/… was not found.").
	msgPolicyNotFound = "Policy %s was not found."
	// msgNotAttachable: attaching a policy that does not exist. Verified:
	// aws/aws-cdk#3379, pulumi/pulumi#7419.
	msgNotAttachable = "Policy %s does not exist or is not attachable."
	// msgScopeNotFound: a permissions boundary that does not exist.
	// Verified: openshift rosa output quoted in public issues and in
	// aws-samples SAM troubleshooting notes.
	msgScopeNotFound = "Scope ARN: %s does not exist or is not attachable."
)

// resolvePolicy finds the managed policy ref names, in the library or in the
// account; a policy of another account, or whose path differs, does not
// exist here. notFound is the operation's NoSuchEntity message, with one %s
// for the ARN.
func (s *Service) resolvePolicy(tx store.Tx, ref policyRef, notFound string) (resolved, error) {
	if ref.AWS() {
		if p, ok := s.library.Lookup(ref.ARN); ok {
			return resolved{ref: ref, aws: p}, nil
		}
		return resolved{}, noSuchEntity(notFound, ref.ARN)
	}
	if ref.Account != tx.Account().ID {
		return resolved{}, noSuchEntity(notFound, ref.ARN)
	}
	p, err := tx.Policy(ref.Name)
	if errors.Is(err, store.ErrNotFound) || err == nil && p.Path != ref.Path {
		return resolved{}, noSuchEntity(notFound, ref.ARN)
	}
	if err != nil {
		return resolved{}, err
	}
	return resolved{ref: ref, local: p}, nil
}

// deniedOnAWSPolicy refuses a change to an AWS managed policy: it belongs to
// the pseudo-account "aws", so not even an account's root may change it. The
// code (AccessDenied, 403) and the text are unverified: no public source
// quotes IAM's answer; the text takes the form of AWS's AccessDenied messages
// ("User: ARN is not authorized to perform: ACTION on resource: policy ARN").
func deniedOnAWSPolicy(caller, action, arn string) error {
	return refuse(ErrAccessDenied, "User: %s is not authorized to perform: iam:%s on resource: policy %s", caller, action, arn)
}

// updateCustomerPolicy runs change, in one write transaction on account, on
// the customer managed policy ref names. The policy is resolved as every
// policy operation resolves it (NoSuchEntity msgPolicyNotFound); an AWS
// managed policy is refused with deniedOnAWSPolicy for action, before change
// runs, since no operation that writes may touch one.
func (s *Service) updateCustomerPolicy(ctx context.Context, account, caller, action string, ref policyRef, change func(tx store.Tx, p store.Policy) error) error {
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err != nil {
			return err
		}
		if r.aws != nil {
			return deniedOnAWSPolicy(caller, action, r.arn())
		}
		return change(tx, r.local)
	})
}

// CreatePolicyInput is CreatePolicy's input.
type CreatePolicyInput struct {
	Name        string
	Path        string // "" means "/"
	Description string
	Document    string
	Tags        []store.Tag
}

// CreatePolicy creates a customer managed policy in account, its document as
// the default version v1.
func (s *Service) CreatePolicy(ctx context.Context, account string, in CreatePolicyInput) (ManagedPolicy, error) {
	var v Validation
	v.Name(FieldPolicyName, in.Name, MaxPolicyName)
	v.PolicyPath(FieldPath, in.Path)
	v.Description(FieldDescription, in.Description)
	v.Tags(in.Tags)
	checkDocumentParam(&v, in.Document)
	if err := v.Err(); err != nil {
		return ManagedPolicy{}, err
	}
	if err := managedDocument(in.Document); err != nil {
		return ManagedPolicy{}, err
	}
	var out store.Policy
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		out, err = tx.CreatePolicy(store.Policy{Name: in.Name, Path: orRoot(in.Path), Description: in.Description,
			Created: s.now().UTC(), Tags: in.Tags}, in.Document)
		return err
	})
	return fromStore(out), err
}

// GetPolicy describes the managed policy arn as account sees it.
func (s *Service) GetPolicy(ctx context.Context, account, arn string) (ManagedPolicy, error) {
	ref, err := checkPolicyARN(arn)
	if err != nil {
		return ManagedPolicy{}, err
	}
	var out ManagedPolicy
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err != nil {
			return err
		}
		if r.local.Name != "" {
			out = fromStore(r.local)
			return nil
		}
		attached, err := tx.AttachmentCounts()
		if err != nil {
			return err
		}
		bounded, err := boundaryCounts(tx)
		if err != nil {
			return err
		}
		out = fromLibrary(r.aws, attached, bounded)
		return nil
	})
	return out, err
}

// DeletePolicy deletes a customer managed policy that is attached to nothing,
// bounds nothing and has only its default version. caller is the ARN of who
// asks, for the refusal of an AWS managed policy.
func (s *Service) DeletePolicy(ctx context.Context, account, caller, arn string) error {
	ref, err := checkPolicyARN(arn)
	if err != nil {
		return err
	}
	return s.updateCustomerPolicy(ctx, account, caller, "DeletePolicy", ref, func(tx store.Tx, p store.Policy) error {
		return tx.DeletePolicy(p.Name)
	})
}

// boundaryCounts counts, for every policy ARN, the account's users and roles
// that have it as their permissions boundary. The store counts this itself
// for customer managed policies; for AWS managed ones it is read here.
func boundaryCounts(tx store.Tx) (map[string]int, error) {
	out := map[string]int{}
	for marker := ""; ; {
		p, err := tx.Users(store.ListOptions{Marker: marker, MaxItems: store.MaxMaxItems})
		if err != nil {
			return nil, err
		}
		for _, u := range p.Items {
			if u.PermissionsBoundary != "" {
				out[u.PermissionsBoundary]++
			}
		}
		if marker = p.Marker; marker == "" {
			break
		}
	}
	for marker := ""; ; {
		p, err := tx.Roles(store.ListOptions{Marker: marker, MaxItems: store.MaxMaxItems})
		if err != nil {
			return nil, err
		}
		for _, r := range p.Items {
			if r.PermissionsBoundary != "" {
				out[r.PermissionsBoundary]++
			}
		}
		if marker = p.Marker; marker == "" {
			break
		}
	}
	return out, nil
}

// PolicyScope is ListPolicies' Scope.
type PolicyScope string

// The scopes of ListPolicies.
const (
	ScopeAll   PolicyScope = "All"   // AWS managed policies, then the account's own (the default)
	ScopeAWS   PolicyScope = "AWS"   // AWS managed policies only
	ScopeLocal PolicyScope = "Local" // the account's customer managed policies only
)

// ListPoliciesInput is ListPolicies' input.
type ListPoliciesInput struct {
	ListInput
	Scope        PolicyScope // "" means All
	OnlyAttached bool
	// Usage is PolicyUsageFilter: store.UsageAttached (PermissionsPolicy)
	// or store.UsageBoundary (PermissionsBoundary); "" means any.
	Usage store.PolicyUsage
}

// check validates the input and returns the page size and the marker.
func (in *ListPoliciesInput) check() (int, policyMarker, error) {
	var v Validation
	in.ListInput.Check(&v)
	switch in.Scope {
	case "":
		in.Scope = ScopeAll
	case ScopeAll, ScopeAWS, ScopeLocal:
	default:
		v.constraint(FieldScope, string(in.Scope), "Member must satisfy enum value set: [All, AWS, Local]")
	}
	switch in.Usage {
	case store.UsageAny, store.UsageAttached, store.UsageBoundary:
	default:
		v.constraint(FieldPolicyUsageFilter, string(in.Usage), "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	if err := v.Err(); err != nil {
		return 0, policyMarker{}, err
	}
	n := in.MaxItems
	if n == 0 {
		n = store.DefaultMaxItems
	}
	m, err := parsePolicyMarker(in.Marker)
	return n, m, err
}

// keep reports whether a policy with these counts passes the usage filters.
func (in *ListPoliciesInput) keep(attached, bounded int) bool {
	switch {
	case (in.OnlyAttached || in.Usage == store.UsageAttached) && attached == 0:
		return false
	case in.Usage == store.UsageBoundary && bounded == 0:
		return false
	}
	return true
}

// ListPolicies lists the managed policies account sees: with Scope All, the
// AWS managed policies (by name) and then the account's own (by name, case
// insensitively). IAM may return fewer than MaxItems with IsTruncated set, as
// its API Reference warns; this happens here only when OnlyAttached and
// PolicyUsageFilter=PermissionsBoundary are combined.
func (s *Service) ListPolicies(ctx context.Context, account string, in ListPoliciesInput) (Page[ManagedPolicy], error) {
	n, m, err := in.check()
	if err != nil {
		return Page[ManagedPolicy]{}, err
	}
	var page Page[ManagedPolicy]
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		page = Page[ManagedPolicy]{Items: []ManagedPolicy{}}
		if in.Scope != ScopeLocal && m.Phase != phaseLocal {
			items, last, err := s.listAWS(tx, &in, m.After, n)
			if err != nil {
				return err
			}
			page.Items = items
			if last != "" {
				page.Marker = policyMarker{Phase: phaseAWS, After: last}.encode()
				return nil
			}
			m = policyMarker{Phase: phaseLocal}
		}
		if in.Scope == ScopeAWS {
			return nil
		}
		return s.listLocal(tx, &in, m.After, n, &page)
	})
	page.IsTruncated = page.Marker != ""
	return page, err
}

// listAWS appends up to n AWS managed policies named after `after` that pass
// the filters. last is the name of the last one when more follow, else "".
func (s *Service) listAWS(tx store.Tx, in *ListPoliciesInput, after string, n int) (items []ManagedPolicy, last string, err error) {
	all, err := s.library.Policies()
	if err != nil {
		return nil, "", err
	}
	attached, err := tx.AttachmentCounts()
	if err != nil {
		return nil, "", err
	}
	bounded, err := boundaryCounts(tx)
	if err != nil {
		return nil, "", err
	}
	i := 0
	if after != "" {
		i = sort.Search(len(all), func(i int) bool { return all[i].Name > after })
	}
	for ; i < len(all); i++ {
		p := all[i]
		arn := p.ARN()
		if !strings.HasPrefix(p.Path, in.PathPrefix) || !in.keep(attached[arn], bounded[arn]) {
			continue
		}
		if len(items) == n {
			return items, items[n-1].Name, nil
		}
		items = append(items, fromLibrary(p, attached, bounded))
	}
	return items, "", nil
}

// listLocal fills page up to n items with the account's own policies after
// the store marker `after`.
func (s *Service) listLocal(tx store.Tx, in *ListPoliciesInput, after string, n int, page *Page[ManagedPolicy]) error {
	room := n - len(page.Items)
	o := store.PolicyListOptions{ListOptions: store.ListOptions{PathPrefix: in.PathPrefix, Marker: after, MaxItems: room},
		Usage: in.Usage}
	if in.OnlyAttached && in.Usage != store.UsageBoundary {
		o.Usage = store.UsageAttached
	}
	if room == 0 {
		// The page is full of AWS managed policies: say "more" only if a
		// policy of the account's own follows.
		o.MaxItems = 1
	}
	lp, err := tx.Policies(o)
	if err != nil {
		return invalidMarker(err)
	}
	if room == 0 {
		if len(lp.Items) > 0 {
			page.Marker = policyMarker{Phase: phaseLocal}.encode()
		}
		return nil
	}
	for _, p := range lp.Items {
		if in.keep(p.AttachmentCount, p.BoundaryUsageCount) {
			page.Items = append(page.Items, fromStore(p))
		}
	}
	if lp.Marker != "" {
		page.Marker = policyMarker{Phase: phaseLocal, After: lp.Marker}.encode()
	}
	return nil
}

// TagPolicy adds or replaces tags of a customer managed policy (50 per
// policy). AWS managed policies cannot be tagged.
func (s *Service) TagPolicy(ctx context.Context, account, caller, arn string, tags []store.Tag) error {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return err
	}
	return s.updateCustomerPolicy(ctx, account, caller, "TagPolicy", ref, func(tx store.Tx, p store.Policy) error {
		return tx.TagEntity(store.EntityRef{Kind: store.KindPolicy, Name: p.Name}, tags)
	})
}

// UntagPolicy removes tags of a customer managed policy by key; keys it does
// not have are ignored, as in IAM.
func (s *Service) UntagPolicy(ctx context.Context, account, caller, arn string, keys []string) error {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	v.TagKeys(keys)
	if err := v.Err(); err != nil {
		return err
	}
	return s.updateCustomerPolicy(ctx, account, caller, "UntagPolicy", ref, func(tx store.Tx, p store.Policy) error {
		return tx.UntagEntity(store.EntityRef{Kind: store.KindPolicy, Name: p.Name}, keys)
	})
}

// ListPolicyTags lists a managed policy's tags by key, a page at a time (an
// AWS managed policy has none).
func (s *Service) ListPolicyTags(ctx context.Context, account, arn string, in ListInput) (Page[store.Tag], error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Tag]{}, err
	}
	var tags []store.Tag
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err != nil || r.aws != nil {
			return err
		}
		tags, err = tx.Tags(store.EntityRef{Kind: store.KindPolicy, Name: r.local.Name})
		return err
	})
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageSlice(tags, in, func(t store.Tag) string { return strings.ToLower(t.Key) })
}

// checkPolicyARN checks the PolicyArn parameter alone.
func checkPolicyARN(arn string) (policyRef, error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	return ref, v.Err()
}

// PolicyARN returns the ARN of the managed policy arn names, spelled as IAM
// stores it: a customer policy's name is found regardless of case, so a
// request may spell it differently, and authorization must see the real
// ARN (issue 14). ok is false when no such policy exists.
func (s *Service) PolicyARN(ctx context.Context, account, arn string) (stored string, ok bool) {
	ref, err := checkPolicyARN(arn)
	if err != nil {
		return "", false
	}
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err == nil {
			stored = r.arn()
		}
		return err
	})
	return stored, err == nil
}
