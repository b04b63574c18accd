package iamapi

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

var updatePolicyXML = flag.Bool("update-policy-xml", false, "rewrite testdata/policies/*.xml")

// policyGoldenSteps are requests of the policy operations whose whole answer
// (status and XML, element order included) is kept under
// testdata/policies. Steps run in order; later ones see what earlier ones
// made.
var policyGoldenSteps = []struct{ name, form string }{
	{"get-policy-aws", "Action=GetPolicy&PolicyArn=arn:aws:iam::aws:policy/AmazonMQFullAccess"},
	{"list-policies-aws-page", "Action=ListPolicies&Scope=AWS&PathPrefix=/job-function/&MaxItems=2"},
	{"get-policy-version-aws", "Action=GetPolicyVersion&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess&VersionId=v1"},
	{"list-policy-versions-aws", "Action=ListPolicyVersions&PolicyArn=arn:aws:iam::aws:policy/AmazonMQFullAccess&MaxItems=2"},
	{"create-policy", "Action=CreatePolicy&PolicyName=Golden&Path=/g/&Description=kept&PolicyDocument=" + url.QueryEscape(polDocSDK) +
		"&Tags.member.1.Key=team&Tags.member.1.Value=mq"},
	{"create-policy-version", "Action=CreatePolicyVersion&PolicyArn=arn:aws:iam::" + idAccount + ":policy/g/Golden&SetAsDefault=true&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"attach-user-policy", "Action=AttachUserPolicy&UserName=gold&PolicyArn=arn:aws:iam::" + idAccount + ":policy/g/Golden"},
	{"list-attached-user-policies", "Action=ListAttachedUserPolicies&UserName=gold"},
	{"list-entities-for-policy", "Action=ListEntitiesForPolicy&PolicyArn=arn:aws:iam::" + idAccount + ":policy/g/Golden"},
	{"put-user-policy", "Action=PutUserPolicy&UserName=gold&PolicyName=inline&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"get-user-policy", "Action=GetUserPolicy&UserName=gold&PolicyName=inline"},
	{"list-user-policies", "Action=ListUserPolicies&UserName=gold"},
	{"list-policies-local", "Action=ListPolicies&Scope=Local"},
	{"error-not-attachable", "Action=AttachUserPolicy&UserName=gold&PolicyArn=arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"},
	{"error-aws-immutable", "Action=CreatePolicyVersion&PolicyArn=arn:aws:iam::aws:policy/AmazonMQFullAccess&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"error-malformed", "Action=PutUserPolicy&UserName=gold&PolicyName=bad&PolicyDocument=%7B"},
}

// generatedID matches the ids the store generates at random (AIDA…, ANPA…),
// and those of AWS managed policies, which the golden files redact alike.
var generatedID = regexp.MustCompile(`\bA(IDA|GPA|ROA|NPA|IPA)[A-Z0-9]{17}\b`)

func TestIAMPolicyGolden(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{5}, 32), Now: now})
	srv := servertest.Start(newServer(st, server.Options{Dev: true, DefaultAccount: idAccount, IDs: func() string { return "00000000-0000-0000-0000-000000000000" }}, iam.New(st, managed.Builtin(), iam.Options{Now: now}), nil))
	t.Cleanup(srv.Close)
	// The user is another engineer's operation: made here, not kept.
	if _, err := st.CreateAccount(ctx, store.Account{ID: idAccount}); err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, idAccount, func(tx store.Tx) error {
		_, err := tx.CreateUser(store.User{Name: "gold"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i, step := range policyGoldenSteps {
		t.Run(step.name, func(t *testing.T) {
			body := step.form + "&Version=2010-05-08"
			r, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			// Dev mode: a 12-digit key is the root of that account, unverified.
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+idAccount+"/20261126/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
			r.Header.Set("X-Amz-Date", "20261126T030000Z")
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := fmt.Sprintf("%d\n%s\n", resp.StatusCode, generatedID.ReplaceAll(out, []byte("ID")))
			file := filepath.Join("testdata", "policies", fmt.Sprintf("%02d-%s.xml", i+1, step.name))
			if *updatePolicyXML {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update-policy-xml to create it)", err)
			}
			if got != string(want) {
				t.Fatalf("%s = \n%s\nwant\n%s", step.name, got, want)
			}
		})
	}
}
