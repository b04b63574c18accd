package audit

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestQueryParameters(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      map[string]any
	}{
		{"plain", "Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2F", map[string]any{"userName": "alice", "path": "/"}},
		{"password", "Action=CreateLoginProfile&UserName=bob&Password=hunter2%21", map[string]any{"userName": "bob", "password": Hidden}},
		{"change password", "Action=ChangePassword&OldPassword=a&NewPassword=b", map[string]any{"oldPassword": Hidden, "newPassword": Hidden}},
		{"presigned", "Action=ListUsers&X-Amz-Signature=abc&X-Amz-Credential=AKIA%2F&X-Amz-Security-Token=tok", nil},
		{"web identity", "Action=AssumeRoleWithWebIdentity&RoleArn=arn&WebIdentityToken=eyJ", map[string]any{"roleArn": "arn", "webIdentityToken": Hidden}},
		{"saml", "SAMLAssertion=PHNhbWw", map[string]any{"sAMLAssertion": Hidden}},
		{"mfa code", "TokenCode=123456&SerialNumber=arn", map[string]any{"tokenCode": Hidden, "serialNumber": "arn"}},
		{"private key", "PrivateKey=-----BEGIN", map[string]any{"privateKey": Hidden}},
		{"bad escape keeps the rest", "UserName=a&Path=%zz", map[string]any{"userName": "a"}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := QueryParameters(tc.raw)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tc.want)
			if string(g) != string(w) {
				t.Errorf("QueryParameters(%q) = %s, want %s", tc.raw, g, w)
			}
		})
	}
}

func TestJSONParameters(t *testing.T) {
	body := `{"brokerName":"b","users":[{"username":"u","password":"p4ss"}],"nested":{"secretKey":"s","sessionToken":"t"},"n":3}`
	got, _ := json.Marshal(JSONParameters([]byte(body)))
	want := `{"brokerName":"b","n":3,"nested":{"secretKey":"HIDDEN_DUE_TO_SECURITY_REASONS","sessionToken":"HIDDEN_DUE_TO_SECURITY_REASONS"},"users":[{"password":"HIDDEN_DUE_TO_SECURITY_REASONS","username":"u"}]}`
	if string(got) != want {
		t.Errorf("JSONParameters = %s, want %s", got, want)
	}
	for _, bad := range []string{"", "[1]", "{", "null"} {
		if got := JSONParameters([]byte(bad)); got != nil {
			t.Errorf("JSONParameters(%q) = %v, want nil", bad, got)
		}
	}
}

func TestBounds(t *testing.T) {
	long := strings.Repeat("é", maxValueBytes) // two bytes each
	got := QueryParameters("PolicyDocument=" + long)["policyDocument"].(string)
	if len(got) > maxValueBytes+len(truncated) || !strings.HasSuffix(got, truncated) || !strings.HasPrefix(got, "é") {
		t.Errorf("QueryParameters(long value) kept %d bytes, want at most %d ending in %q", len(got), maxValueBytes+len(truncated), truncated)
	}
	var b strings.Builder
	for i := range 1000 {
		b.WriteString("&P")
		b.WriteString(strings.Repeat("x", i%7+1))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(strings.Repeat("y", i/26))
		b.WriteString("=v")
	}
	if n := len(QueryParameters(b.String())); n > maxParams+1 {
		t.Errorf("QueryParameters(1000 parameters) kept %d, want at most %d", n, maxParams+1)
	}
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	if _, err := json.Marshal(JSONParameters([]byte(deep))); err != nil {
		t.Errorf("JSONParameters(deep) does not encode: %v", err)
	}
}

// FuzzParameters checks that no input makes the parameters fail to encode,
// grow past their bounds, or keep a secret's value.
func FuzzParameters(f *testing.F) {
	f.Add("Password=hunter2&UserName=a", []byte(`{"password":"hunter2"}`))
	f.Add("X-Amz-Signature=hunter2", []byte(`{"a":[{"SecretAccessKey":"hunter2"}]}`))
	f.Fuzz(func(t *testing.T, raw string, body []byte) {
		for _, p := range []map[string]any{QueryParameters(raw), JSONParameters(body)} {
			out, err := json.Marshal(p)
			if err != nil {
				t.Fatalf("parameters do not encode: %v", err)
			}
			if len(out) > 2*maxParams*(maxValueBytes+64)+1024 {
				t.Fatalf("parameters grew to %d bytes", len(out))
			}
			checkNoSecret(t, p)
		}
	})
}

// checkNoSecret fails when a secret parameter kept its value.
func checkNoSecret(t *testing.T, m map[string]any) {
	t.Helper()
	for k, v := range m {
		if isSecret(k) && v != Hidden {
			t.Fatalf("secret parameter %q kept %v", k, v)
		}
		checkValue(t, v)
	}
}

func checkValue(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		checkNoSecret(t, x)
	case []any:
		for _, e := range x {
			checkValue(t, e)
		}
	}
}
