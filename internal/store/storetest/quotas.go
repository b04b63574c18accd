package storetest

import (
	"fmt"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// testAccountQuotas: an account holds at most IAM's number of each entity;
// the next creation is refused with IAM's words and changes nothing, and a
// deletion makes room again. Filling an account takes the race detector
// minutes (the SQLite driver is Go), so under it only groups, the smallest
// quota, are filled; scripts/test.sh runs every kind without it.
func testAccountQuotas(t *testing.T, s store.Store) {
	const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	tests := []struct {
		kind   string
		limit  int
		quota  store.Quota
		create func(tx store.Tx, name string) error
		delete func(tx store.Tx, name string) error
	}{
		{"users", store.MaxUsersPerAccount, store.QuotaUsersPerAccount,
			func(tx store.Tx, n string) error { _, err := tx.CreateUser(store.User{Name: n}); return err },
			func(tx store.Tx, n string) error { return tx.DeleteUser(n) }},
		{"groups", store.MaxGroupsPerAccount, store.QuotaGroupsPerAccount,
			func(tx store.Tx, n string) error { _, err := tx.CreateGroup(store.Group{Name: n}); return err },
			func(tx store.Tx, n string) error { return tx.DeleteGroup(n) }},
		{"roles", store.MaxRolesPerAccount, store.QuotaRolesPerAccount,
			func(tx store.Tx, n string) error {
				_, err := tx.CreateRole(store.Role{Name: n, AssumeRolePolicy: trust})
				return err
			},
			func(tx store.Tx, n string) error { return tx.DeleteRole(n) }},
		{"policies", store.MaxPoliciesPerAccount, store.QuotaPoliciesPerAccount,
			func(tx store.Tx, n string) error { _, err := tx.CreatePolicy(store.Policy{Name: n}, doc); return err },
			func(tx store.Tx, n string) error { return tx.DeletePolicy(n) }},
		{"instance profiles", store.MaxInstanceProfilesPerAccount, store.QuotaInstanceProfilesPerAccount,
			func(tx store.Tx, n string) error {
				_, err := tx.CreateInstanceProfile(store.InstanceProfile{Name: n})
				return err
			},
			func(tx store.Tx, n string) error { return tx.DeleteInstanceProfile(n) }},
	}
	for _, tc := range tests {
		if raceEnabled && tc.kind != "groups" {
			continue
		}
		t.Run(tc.kind, func(t *testing.T) {
			a := newAccount(t, s)
			update(t, s, a, func(tx store.Tx) error {
				for i := range tc.limit {
					if err := tc.create(tx, fmt.Sprintf("e%05d", i)); err != nil {
						return fmt.Errorf("creating %s number %d: %w", tc.kind, i+1, err)
					}
				}
				return nil
			})
			err := s.Update(ctx, a, func(tx store.Tx) error { return tc.create(tx, "one-more") })
			wantErr(t, "one more", err, store.ErrLimitExceeded)
			wantMessage(t, "one more", err, fmt.Sprintf("Cannot exceed quota for %s: %d", tc.quota, tc.limit))
			update(t, s, a, func(tx store.Tx) error {
				if err := tc.delete(tx, "e00000"); err != nil {
					return err
				}
				return tc.create(tx, "one-more")
			})
		})
	}
}
