package sts

import (
	"context"
	"fmt"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/store"
)

// DefaultFederationDuration is GetFederationToken's default session length
// (12 hours); its longest is MaxUserDuration (36 hours).
const DefaultFederationDuration = 43200

// FederationTokenInput is GetFederationToken's request.
type FederationTokenInput struct {
	Name            string // the federated user's name, 2–32 of [\w+=,.@-]
	Policy          string
	PolicyARNs      []string
	DurationSeconds *int
	Tags            []store.Tag
}

// FederationTokenOutput is GetFederationToken's result.
type FederationTokenOutput struct {
	Credentials      Credentials
	FederatedUserID  string // ACCOUNT:NAME
	ARN              string // arn:aws:sts::ACCOUNT:federated-user/NAME
	PackedPolicySize int
}

// FederatedUserARN is the ARN GetFederationToken gives the federated user
// name in account, the resource its sts:GetFederationToken acts on.
func FederatedUserARN(account, name string) string { return arn.FederatedUser(account, name).String() }

// GetFederationToken makes a federated user session for an IAM user
// (STS API Reference, GetFederationToken): its permissions are the
// intersection of the user's and of the session policies passed, and
// without session policies it may do nothing. The endpoint has authorized
// sts:GetFederationToken on the federated user's ARN; session tags also
// need sts:TagSession. A root may call it too (its session lasts an hour at
// most, and only its session policies limit it); temporary credentials may
// not, as in AWS.
func (s *Service) GetFederationToken(ctx context.Context, caller authz.Principal, info authz.RequestInfo, in FederationTokenInput) (FederationTokenOutput, error) {
	if caller.Kind != eval.PrincipalUser && caller.Kind != eval.PrincipalRoot || caller.Session != nil {
		return FederationTokenOutput{}, fmt.Errorf("%w: Cannot call GetFederationToken with session credentials", ErrAccessDenied)
	}
	seconds, err := validateFederation(caller, &in)
	if err != nil {
		return FederationTokenOutput{}, err
	}
	ar := AssumeRoleInput{Policy: in.Policy, PolicyARNs: in.PolicyARNs, Tags: in.Tags}
	packed, err := s.packPolicies(&ar)
	if err != nil {
		return FederationTokenOutput{}, err
	}
	tags, err := sessionTags(authz.Principal{}, &ar)
	if err != nil {
		return FederationTokenOutput{}, err
	}
	fedARN := FederatedUserARN(caller.Account, in.Name)
	if len(tags) > 0 && s.opts.Authz != nil {
		if err := s.opts.Authz.Authorize(ctx, &caller, &authz.Request{Action: "sts:TagSession", Resource: fedARN, Info: info}); err != nil {
			return FederationTokenOutput{}, err
		}
	}
	var lookup PolicyLookup
	if s.opts.Authz != nil {
		lookup = s.opts.Authz.PolicyExists
	}
	if err := checkPolicyARNs(ctx, lookup, caller.Account, in.PolicyARNs); err != nil {
		return FederationTokenOutput{}, err
	}
	sess := authz.Session{Name: in.Name, FederatedUser: true, PolicyARNs: in.PolicyARNs, Tags: tags,
		Issued: s.opts.Now().UTC().Truncate(time.Second)}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	owner := store.EntityRef{Kind: store.KindUser, Name: caller.Name}
	if caller.Kind == eval.PrincipalRoot {
		owner = store.EntityRef{Kind: store.KindAccount}
	}
	creds, err := s.issue(ctx, caller.Account, owner, sess, seconds)
	if err != nil {
		return FederationTokenOutput{}, err
	}
	return FederationTokenOutput{Credentials: creds, FederatedUserID: caller.Account + ":" + in.Name, ARN: fedARN, PackedPolicySize: packed}, nil
}

// validateFederation checks GetFederationToken's parameters and returns the
// session's length: 12 hours by default and 36 at most for a user, one
// hour for a root (STS API Reference, GetFederationToken, DurationSeconds).
func validateFederation(caller authz.Principal, in *FederationTokenInput) (int, error) {
	if err := checkName(in.Name, "name", 2, 32, "", `[\w+=,.@-]*`); err != nil {
		return 0, err
	}
	seconds, max := DefaultFederationDuration, MaxUserDuration
	if caller.Kind == eval.PrincipalRoot {
		seconds, max = RootSessionDuration, RootSessionDuration
	}
	if in.DurationSeconds != nil {
		seconds = *in.DurationSeconds
	}
	if err := durationBounds(seconds, max); err != nil {
		return 0, err
	}
	if len(in.PolicyARNs) > MaxPolicyARNs {
		return 0, invalid(fmt.Sprint(len(in.PolicyARNs)), "policyArns", fmt.Sprintf("Member must have length less than or equal to %d", MaxPolicyARNs))
	}
	if len(in.Tags) > MaxSessionTags {
		return 0, invalid("tags", "tags", fmt.Sprintf("Member must have length less than or equal to %d", MaxSessionTags))
	}
	return seconds, checkTags(in.Tags, nil)
}
