package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// msgInvalidPrincipal is IAM's MalformedPolicyDocument message for a trust
// policy that names, by ARN, an IAM user or role that does not exist: IAM
// turns such ARNs into the principal's unique id when it stores the policy
// (IAM User Guide, "AWS JSON policy elements: Principal", section "IAM role
// principals"), and cannot for one that is not there. Verified: real IAM
// output quoted in aws-actions/configure-aws-credentials#332
// (UpdateAssumeRolePolicy), databrickslabs/ucx#2269,
// aws-samples/aws-iam-access-key-auto-rotation#26, and explained in
// hashicorp/terraform-provider-aws#8905.
const msgInvalidPrincipal = "Invalid principal in policy: %q:%q"

// checkTrustPrincipals refuses a trust policy that names a user or role,
// of an account iamq holds, that does not exist. Principals of accounts iamq
// does not hold, account roots, wildcards and service principals are left
// alone: iamq cannot know them. doc has passed checkTrustPolicy.
func (s *Service) checkTrustPrincipals(ctx context.Context, doc string) error {
	d, err := policy.Parse(doc)
	if err != nil {
		return nil // checkTrustPolicy refused it already
	}
	for _, st := range d.Statements {
		if st.Principal == nil {
			continue
		}
		for _, p := range st.Principal.AWS {
			exists, err := s.principalExists(ctx, p)
			if err != nil {
				return err
			}
			if !exists {
				return refuse(ErrMalformedPolicy, msgInvalidPrincipal, "AWS", p)
			}
		}
	}
	return nil
}

// principalExists reports whether an AWS principal that names a user or a
// role exists; any other principal counts as existing.
func (s *Service) principalExists(ctx context.Context, p string) (bool, error) {
	a, ok := arn.Split(p)
	if !ok || a.Service != arn.ServiceIAM || strings.ContainsAny(p, "*?") {
		return true, nil
	}
	r := arn.SplitIAMResource(a.Resource)
	if r.Type != arn.TypeUser && r.Type != arn.TypeRole || r.Name == "" {
		return true, nil
	}
	if _, err := s.store.Account(ctx, a.Account); errors.Is(err, store.ErrNotFound) {
		return true, nil
	} else if err != nil {
		return false, fmt.Errorf("iam: reading account %s: %w", a.Account, err)
	}
	var path string
	err := s.store.View(ctx, a.Account, func(tx store.Tx) error {
		var err error
		if r.Type == arn.TypeUser {
			var u store.User
			u, err = tx.User(r.Name)
			path = u.Path
		} else {
			var role store.Role
			role, err = tx.Role(r.Name)
			path = role.Path
		}
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return orRoot(r.Path) == orRoot(path), nil
}
