package authz

import (
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
)

func TestPrincipalForKey(t *testing.T) {
	tests := []struct {
		name        string
		key         store.AccessKey
		path        string
		arn, userID string
		kind        eval.PrincipalKind
	}{
		{"root", store.AccessKey{ID: "AKIAROOT", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindAccount}},
			"", "arn:aws:iam::111122223333:root", "111122223333", eval.PrincipalRoot},
		{"user", store.AccessKey{ID: "AKIAUSER", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindUser, Name: "Alice"}, OwnerID: "AIDAEXAMPLE"},
			"/division/", "arn:aws:iam::111122223333:user/division/Alice", "AIDAEXAMPLE", eval.PrincipalUser},
		{"user default path", store.AccessKey{ID: "AKIAUSER", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindUser, Name: "Bob"}, OwnerID: "AIDABOB"},
			"", "arn:aws:iam::111122223333:user/Bob", "AIDABOB", eval.PrincipalUser},
		{"role session", store.AccessKey{ID: "ASIAROLE", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindRole, Name: "Deployer"}, OwnerID: "AROAEXAMPLE",
			Session: []byte(`{"name":"ci"}`)},
			"", "arn:aws:sts::111122223333:assumed-role/Deployer/ci", "AROAEXAMPLE:ci", eval.PrincipalRoleSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.key.Secret = "secret"
			c, err := PrincipalForKey(tt.key, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Account != "111122223333" || c.ARN != tt.arn || c.UserID != tt.userID || c.Kind != tt.kind {
				t.Errorf("PrincipalForKey(%s) = %+v, want %s %s %s", tt.name, c, tt.arn, tt.userID, tt.kind)
			}
			if c.Key == nil || c.Key.Secret != "" {
				t.Errorf("PrincipalForKey kept the secret or dropped the key: %+v", c.Key)
			}
		})
	}
	if _, err := PrincipalForKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindRole}}, ""); err == nil {
		t.Error("PrincipalForKey(role key without session) succeeded, want an error")
	}
}

// TestServiceRole: a service acting through its service-linked role is a
// session of that role, decided by the role's policies — here the AWS
// managed policy attached to it — and nothing else.
func TestServiceRole(t *testing.T) {
	f := newFixture(t)
	const role = "AWSServiceRoleForAmazonMQ"
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateRole(store.Role{Name: role, Path: "/aws-service-role/mq.amazonaws.com/", ServiceLinked: true,
			AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mq.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}); err != nil {
			return err
		}
		return tx.AttachPolicy(store.EntityRef{Kind: store.KindRole, Name: role}, mqRead)
	})
	p := ServiceRole(account, "mq.amazonaws.com", "AROAEXAMPLE", role)
	if want := "arn:aws:sts::" + account + ":assumed-role/" + role + "/mq.amazonaws.com"; p.ARN != want || p.Service != "mq.amazonaws.com" {
		t.Fatalf("ServiceRole = %+v, want ARN %s", p, want)
	}
	f.wantAllowed(&p, "mq:DescribeBroker", broker)
	f.wantDenied(&p, "iam:CreateUser", "*", "because no identity-based policy allows the iam:CreateUser action")
}
