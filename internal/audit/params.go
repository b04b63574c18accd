package audit

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Hidden replaces a secret's value in requestParameters, as CloudTrail
// writes it for sensitive fields.
const Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// Bounds on what a record keeps of a request's input: the body is bounded
// by the server already, these bound the record.
const (
	maxParams     = 256      // parameters kept per call
	maxValueBytes = 16 << 10 // bytes kept of one value (a policy document fits)
	maxDepth      = 16       // nesting kept of a JSON body
	truncated     = "…(truncated)"
)

// secretWords mark a parameter whose value is secret, wherever they occur in
// its name (case-insensitively): passwords (CreateLoginProfile,
// ChangePassword), secrets and tokens (session tokens, web identity
// tokens, MFA token codes), signatures and credentials (a presigned URL's
// X-Amz-Signature and X-Amz-Credential), private keys (UploadServerCertificate)
// and SAML assertions.
var secretWords = []string{"password", "secret", "token", "signature", "credential", "privatekey", "samlassertion", "authenticationcode"}

// isSecret reports whether the parameter name names a secret.
func isSecret(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// QueryParameters turns a Query-protocol form into requestParameters:
// Action, Version and the signature's X-Amz-* parameters are left out,
// secrets are Hidden, each name starts in lower case as in CloudTrail
// ("userName"), and values are bounded. A form that does not parse gives
// what parsed of it.
func QueryParameters(raw string) map[string]any {
	vals, _ := url.ParseQuery(raw)
	out := map[string]any{}
	for name, vs := range vals {
		if len(out) >= maxParams {
			out["truncated"] = true
			break
		}
		if name == "Action" || name == "Version" || strings.HasPrefix(strings.ToLower(name), "x-amz-") || len(vs) == 0 {
			continue
		}
		key := lowerFirst(bound(name))
		if isSecret(name) {
			out[key] = Hidden
			continue
		}
		out[key] = bound(vs[0])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// JSONParameters turns a REST-JSON body into requestParameters: the
// object's members, with secrets Hidden at any depth and values bounded. A
// body that is not a JSON object gives nil.
func JSONParameters(body []byte) map[string]any {
	var v map[string]any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil || v == nil {
		return nil
	}
	n := 0
	return scrubObject(v, 0, &n)
}

func scrubObject(m map[string]any, depth int, n *int) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if *n >= maxParams {
			out["truncated"] = true
			break
		}
		*n++
		if isSecret(k) {
			out[bound(k)] = Hidden
			continue
		}
		out[bound(k)] = scrub(v, depth+1, n)
	}
	return out
}

// scrub bounds and cleans one JSON value.
func scrub(v any, depth int, n *int) any {
	if depth > maxDepth {
		return truncated
	}
	switch x := v.(type) {
	case map[string]any:
		return scrubObject(x, depth, n)
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if *n >= maxParams {
				out = append(out, truncated)
				break
			}
			*n++
			out = append(out, scrub(e, depth+1, n))
		}
		return out
	case string:
		return bound(x)
	}
	return v
}

// bound cuts s to maxValueBytes, on a rune boundary.
func bound(s string) string {
	if len(s) <= maxValueBytes {
		return s
	}
	cut := maxValueBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + truncated
}

// lowerFirst lowers the name's first letter: UserName → userName.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
