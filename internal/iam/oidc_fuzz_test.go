package iam

import (
	"strings"
	"testing"
)

// FuzzOIDCProviderName: the name of an issuer URL, when there is one, has
// no scheme, no trailing slash, and is its own name again behind https://.
func FuzzOIDCProviderName(f *testing.F) {
	for _, s := range []string{"https://token.actions.githubusercontent.com", "https://oidc.eks.us-east-1.amazonaws.com/id/ABC/",
		"https://127.0.0.1:8443", "http://x", "https://", "https://a?b", "https://u@h", "https://h/%2F", "HTTPS://Host/P"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		name, ok := OIDCProviderName(raw)
		if !ok {
			return
		}
		if name == "" || strings.Contains(name, "://") || strings.HasSuffix(name, "/") {
			t.Fatalf("OIDCProviderName(%q) = %q", raw, name)
		}
		again, ok := OIDCProviderName("https://" + name)
		if !ok || again != name {
			t.Fatalf("OIDCProviderName(https://%s) = %q, %v; want %q", name, again, ok, name)
		}
	})
}

func TestOIDCProviderName(t *testing.T) {
	for raw, want := range map[string]string{"https://Token.Example.com/a/": "token.example.com/a", "https://h:8443": "h:8443",
		"http://h": "", "https://": "", "https://h?x=1": "", "https://h#f": "", "https://u:p@h": ""} {
		got, ok := OIDCProviderName(raw)
		if got != want || ok != (want != "") {
			t.Errorf("OIDCProviderName(%q) = %q, %v; want %q", raw, got, ok, want)
		}
	}
}
