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
