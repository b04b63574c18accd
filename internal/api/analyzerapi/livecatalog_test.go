package analyzerapi_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aa "github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"

	"github.com/iamq/iamq/internal/api/analyzerapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// TestLiveCatalog: with the managed policies' registry, ValidatePolicy reads
// the live catalog on every call: an action a service launched (a catalog
// update applied to the store) stops being an unknown action at once.
func TestLiveCatalog(t *testing.T) {
	ctx := context.Background()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{5}, 32)})
	reg := managed.NewRegistry(managed.Builtin(), st, managed.RegistryOptions{})
	if err := reg.Start(ctx); err != nil {
		t.Fatal(err)
	}
	creds := authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	srv := server.New(server.Options{Credentials: creds, Dev: true, DefaultAccount: account})
	analyzerapi.Register(srv, analyzerapi.Options{Policies: reg})
	ts := servertest.Start(srv)
	t.Cleanup(ts.Close)
	e := &env{srv: srv, ts: ts}
	client := e.client(account, "x")
	invalid := func() bool {
		t.Helper()
		out, err := client.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyType: aatypes.PolicyTypeIdentityPolicy,
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:ListBrokerWidgets","Resource":"*"}]}`)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range out.Findings {
			if aws.ToString(f.IssueCode) == "INVALID_ACTION" {
				return true
			}
		}
		return false
	}
	if !invalid() {
		t.Fatal("mq:ListBrokerWidgets is not INVALID_ACTION before the service launched it")
	}
	file, err := os.ReadFile("../../managed/testdata/mq-widgets.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ApplyCatalog(ctx, file); err != nil {
		t.Fatal(err)
	}
	if invalid() {
		t.Error("mq:ListBrokerWidgets is still INVALID_ACTION after the catalog update")
	}
}
