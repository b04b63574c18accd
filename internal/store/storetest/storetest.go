package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// Opener opens a new, empty store for one test; the suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs the conformance suite against the backend that open makes. Each
// subtest opens its own store.
func Run(t *testing.T, open Opener) {
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, open(t)) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("Groups", func(t *testing.T) { testGroups(t, open(t)) })
	t.Run("Roles", func(t *testing.T) { testRoles(t, open(t)) })
	t.Run("InstanceProfiles", func(t *testing.T) { testInstanceProfiles(t, open(t)) })
	t.Run("Policies", func(t *testing.T) { testPolicies(t, open(t)) })
	t.Run("PolicyVersions", func(t *testing.T) { testPolicyVersions(t, open(t)) })
	t.Run("Attachments", func(t *testing.T) { testAttachments(t, open(t)) })
	t.Run("InlinePolicies", func(t *testing.T) { testInlinePolicies(t, open(t)) })
	t.Run("AccessKeys", func(t *testing.T) { testAccessKeys(t, open(t)) })
	t.Run("TemporaryKeys", func(t *testing.T) { testTemporaryKeys(t, open(t)) })
	t.Run("Tags", func(t *testing.T) { testTags(t, open(t)) })
	t.Run("Aliases", func(t *testing.T) { testAliases(t, open(t)) })
	t.Run("DeleteConflicts", func(t *testing.T) { testDeleteConflicts(t, open(t)) })
	t.Run("Changes", func(t *testing.T) { testChanges(t, open(t)) })
	t.Run("PruneChanges", func(t *testing.T) { testPruneChanges(t, open(t)) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, open(t)) })
	t.Run("ListOrder", func(t *testing.T) { testListOrder(t, open(t)) })
	t.Run("ListUnderChurn", func(t *testing.T) { testListUnderChurn(t, open(t)) })
	t.Run("RaceAttach", func(t *testing.T) { testRaceAttach(t, open(t)) })
	t.Run("RaceVersions", func(t *testing.T) { testRaceVersions(t, open(t)) })
	t.Run("RaceAcrossAccounts", func(t *testing.T) { testRaceAcrossAccounts(t, open(t)) })
	t.Run("AWSPolicyVersions", func(t *testing.T) { testAWSPolicyVersions(t, open(t)) })
	t.Run("RacePublish", func(t *testing.T) { testRacePublish(t, open(t)) })
	t.Run("DeletionTasks", func(t *testing.T) { testDeletionTasks(t, open(t)) })
	t.Run("AccountQuotas", func(t *testing.T) { testAccountQuotas(t, open(t)) })
	t.Run("History", func(t *testing.T) { testHistory(t, open(t)) })
	t.Run("MQRecords", func(t *testing.T) { testMQRecords(t, open(t)) })
	t.Run("RaceHistory", func(t *testing.T) { testRaceHistory(t, open(t)) })
	t.Run("Providers", func(t *testing.T) { testProviders(t, open(t)) })
	t.Run("PublishWithHistory", func(t *testing.T) { testPublishWithHistory(t, open(t)) })
	t.Run("CatalogUpdates", func(t *testing.T) { testCatalogUpdates(t, open(t)) })
	t.Run("PublishAWSPolicyVersions", func(t *testing.T) { testPublishMany(t, open(t)) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open(t)) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, open(t)) })
	t.Run("Credentials", func(t *testing.T) { testCredentials(t, open(t)) })
	t.Run("ServerCertificates", func(t *testing.T) { testServerCertificates(t, open(t)) })
	t.Run("RaceCredentials", func(t *testing.T) { testRaceCredentials(t, open(t)) })
	t.Run("LoginProfiles", func(t *testing.T) { testLoginProfiles(t, open(t)) })
	t.Run("PasswordPolicy", func(t *testing.T) { testPasswordPolicy(t, open(t)) })
	t.Run("MFADevices", func(t *testing.T) { testMFADevices(t, open(t)) })
	t.Run("PolicyGenerations", func(t *testing.T) { testPolicyGenerations(t, open(t)) })
}

// ctx is the context of every call in the suite.
var ctx = context.Background()

// newAccount creates an account with a random id and returns the id.
func newAccount(t testing.TB, s store.Store) string {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(1e12))
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("%012d", n)
	if _, err := s.CreateAccount(ctx, store.Account{ID: id, Name: "test"}); err != nil {
		t.Fatalf("CreateAccount(%s) = %v", id, err)
	}
	return id
}

// update runs fn in a write transaction and fails the test on error.
func update(t testing.TB, s store.Store, account string, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, account, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func view(t testing.TB, s store.Store, account string, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(ctx, account, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// wantErr fails unless errors.Is(err, want); want nil means no error.
func wantErr(t testing.TB, what string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s = %v, want no error", what, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s = %v, want %v", what, err, want)
	}
}

// wantMessage fails unless err's text is msg.
func wantMessage(t *testing.T, what string, err error, msg string) {
	t.Helper()
	if err == nil || err.Error() != msg {
		t.Fatalf("%s = %v, want message %q", what, err, msg)
	}
}

// user, group and role build entity references.
func user(name string) store.EntityRef  { return store.EntityRef{Kind: store.KindUser, Name: name} }
func group(name string) store.EntityRef { return store.EntityRef{Kind: store.KindGroup, Name: name} }
func role(name string) store.EntityRef  { return store.EntityRef{Kind: store.KindRole, Name: name} }

// trust is a trust policy for test roles.
const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// doc is a small policy document.
const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

// awsPolicy returns the ARN of an AWS managed policy.
func awsPolicy(name string) string { return arn.AWSManagedPolicy("/", name).String() }

// listAll collects every page of a list.
func listAll[T any](t *testing.T, pageSize int, next func(o store.ListOptions) (store.Page[T], error)) []T {
	t.Helper()
	var out []T
	o := store.ListOptions{MaxItems: pageSize}
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("listing never ends")
		}
		p, err := next(o)
		if err != nil {
			t.Fatalf("list page %d: %v", i, err)
		}
		out = append(out, p.Items...)
		if !p.Truncated() {
			return out
		}
		if len(p.Items) == 0 {
			t.Fatalf("page %d is empty but truncated", i)
		}
		o.Marker = p.Marker
	}
}
