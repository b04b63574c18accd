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

// checkSessionClaims checks the session tags, transitive keys and source
// identity an identity provider passed, as AssumeRole's parameters (the
// provider is then the one refused: IDPRejectedClaim).
func checkSessionClaims(in *AssumeRoleInput) error {
	if len(in.Tags) > MaxSessionTags {
		return fmt.Errorf("%w: More than %d session tags.", ErrIDPRejectedClaim, MaxSessionTags)
	}
	if err := checkTags(in.Tags, in.TransitiveKeys); err != nil {
		return fmt.Errorf("%w: %s", ErrIDPRejectedClaim, err.Error())
	}
	if in.SourceIdentity != "" {
		if err := checkName(in.SourceIdentity, "sourceIdentity", 2, 64, "", `[\w+=,.@-]*`); err != nil {
			return fmt.Errorf("%w: %s", ErrIDPRejectedClaim, err.Error())
		}
	}
	_, err := sessionTags(authz.Principal{}, in)
	return err
}

// federatedRequest is what a federated caller asks of a role's trust
// policy.
type federatedRequest struct {
	role     store.Role
	action   string // sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML
	provider string // the identity provider's ARN (the Federated principal)
	info     authz.RequestInfo
	in       *AssumeRoleInput // the role, session name, tags, source identity
	keys     func(*eval.Context)
}

// trusted decides the request's action, and sts:TagSession with session
// tags and sts:SetSourceIdentity with a source identity, with the role's
// trust policy alone: a federated caller has no identity policies, so the
// trust policy must name the provider as Federated (IAM User Guide,
// "Passing session tags in AWS STS", "Monitor and control actions taken
// with assumed roles").
func (fr *federatedRequest) trusted() bool {
	set, err := authz.CompileTrust(fr.in.RoleARN, fr.role.AssumeRolePolicy)
	if err != nil {
		return false
	}
	actions := []string{fr.action}
	if len(fr.in.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if fr.in.SourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	ec := fr.context()
	for _, action := range actions {
		req := eval.Request{Principal: eval.Principal{Kind: eval.PrincipalWebIdentity, ARN: fr.provider, Account: fr.role.AccountID},
			Action: action, Resource: fr.in.RoleARN, ResourceAccount: fr.role.AccountID, Context: ec}
		if set.Evaluate(&req) != eval.Allowed {
			return false
		}
	}
	return true
}

// context is the request's condition keys: the provider's, the request's
// global keys, and the sts: keys of the session.
func (fr *federatedRequest) context() *eval.Context {
	ec, in, info := new(eval.Context), fr.in, fr.info
	ec.Add("aws:FederatedProvider", eval.String(fr.provider))
	ec.Add("sts:RoleSessionName", eval.String(in.RoleSessionName))
	if !info.Time.IsZero() {
		ec.Add("aws:CurrentTime", eval.Time(info.Time))
		ec.Add("aws:EpochTime", eval.Number(float64(info.Time.Unix())))
	}
	if info.SourceIP.IsValid() {
		ec.Add("aws:SourceIp", eval.IP(info.SourceIP))
	}
	ec.Add("aws:SecureTransport", eval.Bool(info.Secure))
	if in.SourceIdentity != "" {
		ec.Add("sts:SourceIdentity", eval.String(in.SourceIdentity))
	}
	if len(in.Tags) > 0 {
		keys := make([]eval.Value, 0, len(in.Tags))
		for _, t := range in.Tags {
			ec.Add("aws:RequestTag/"+t.Key, eval.String(t.Value))
			keys = append(keys, eval.String(t.Key))
		}
		ec.Add("aws:TagKeys", keys...)
	}
	if len(in.TransitiveKeys) > 0 {
		vs := make([]eval.Value, len(in.TransitiveKeys))
		for i, k := range in.TransitiveKeys {
			vs[i] = eval.String(k)
		}
		ec.Add("sts:TransitiveTagKeys", vs...)
	}
	fr.keys(ec)
	return ec
}

// federatedSession stores a federated role session of role (with the
// identity provider's session tags and source identity) and returns its
// credentials.
func (s *Service) federatedSession(ctx context.Context, account string, role store.Role, in *AssumeRoleInput, providerARN string, seconds int) (AssumeRoleOutput, error) {
	var lookup PolicyLookup
	if s.opts.Authz != nil {
		lookup = s.opts.Authz.PolicyExists
	}
	if err := checkPolicyARNs(ctx, lookup, account, in.PolicyARNs); err != nil {
		return AssumeRoleOutput{}, err
	}
	sess := authz.Session{Name: in.RoleSessionName, PolicyARNs: in.PolicyARNs, FederatedProvider: providerARN, Tags: in.Tags,
		Transitive: in.TransitiveKeys, SourceIdentity: in.SourceIdentity, Issued: s.opts.Now().UTC().Truncate(time.Second)}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	creds, err := s.issue(ctx, account, store.EntityRef{Kind: store.KindRole, Name: role.Name}, sess, seconds)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	return AssumeRoleOutput{Credentials: creds, AssumedRoleID: role.ID + ":" + in.RoleSessionName,
		ARN: arn.AssumedRole(account, role.Name, in.RoleSessionName).String(), SourceIdentity: in.SourceIdentity}, nil
}
