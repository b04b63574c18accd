package sts

import (
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestCallerForKey(t *testing.T) {
	tests := []struct {
		name string
		key  store.AccessKey
		path string
		want CallerIdentity
		typ  PrincipalType
	}{
		{"root", store.AccessKey{ID: "AKIAROOT", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindAccount}},
			"", CallerIdentity{"111122223333", "arn:aws:iam::111122223333:root", "111122223333"}, PrincipalRoot},
		{"user", store.AccessKey{ID: "AKIAUSER", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindUser, Name: "Alice"}, OwnerID: "AIDAEXAMPLE"},
			"/division/", CallerIdentity{"111122223333", "arn:aws:iam::111122223333:user/division/Alice", "AIDAEXAMPLE"}, PrincipalUser},
		{"user default path", store.AccessKey{ID: "AKIAUSER", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindUser, Name: "Bob"}, OwnerID: "AIDABOB"},
			"", CallerIdentity{"111122223333", "arn:aws:iam::111122223333:user/Bob", "AIDABOB"}, PrincipalUser},
		{"role session", store.AccessKey{ID: "ASIAROLE", AccountID: "111122223333", Owner: store.EntityRef{Kind: store.KindRole, Name: "Deployer"}, OwnerID: "AROAEXAMPLE",
			Session: []byte(`{"name":"ci"}`)},
			"", CallerIdentity{"111122223333", "arn:aws:sts::111122223333:assumed-role/Deployer/ci", "AROAEXAMPLE:ci"}, PrincipalAssumedRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.key.Secret = "secret"
			c, err := CallerForKey(tt.key, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := GetCallerIdentity(c); got != tt.want || c.Type != tt.typ {
				t.Errorf("GetCallerIdentity(CallerForKey(%s)) = %+v %s, want %+v %s", tt.name, got, c.Type, tt.want, tt.typ)
			}
			if c.Key == nil || c.Key.Secret != "" {
				t.Errorf("CallerForKey kept the secret or dropped the key: %+v", c.Key)
			}
		})
	}
	if _, err := CallerForKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindRole}}, ""); err == nil {
		t.Error("CallerForKey(role key without session) succeeded, want an error")
	}
}
