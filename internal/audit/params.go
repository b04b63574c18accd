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
	var buf [64]byte
	lower := name
	if len(name) <= len(buf) && isASCII(name) {
		// Lower-cased in place of strings.ToLower's allocation: names
		// are short.
		b := buf[:len(name)]
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
		}
		lower = string(b) // does not escape: the compiler keeps it on the stack
	} else {
		lower = strings.ToLower(name)
	}
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// QueryParameters turns a Query-protocol form into requestParameters:
// Action, Version and the signature's X-Amz-* parameters are left out,
// secrets are Hidden, each name starts in lower case as in CloudTrail
// ("userName"), and values are bounded. A form that does not parse gives
// what parsed of it.
func QueryParameters(raw string) map[string]any {
	out := map[string]any{}
	// As url.ParseQuery reads a form (a pair whose escapes are bad, or that
	// holds a ';', is skipped; the first value of a name counts), without
	// its map of every value.
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		if name == "Action" || name == "Version" || (len(name) >= 6 && strings.EqualFold(name[:6], "x-amz-")) {
			continue
		}
		key := lowerFirst(bound(name))
		if _, seen := out[key]; seen {
			continue
		}
		if len(out) >= maxParams {
			out["truncated"] = true
			break
		}
		if isSecret(name) {
			out[key] = Hidden
			continue
		}
		out[key] = bound(value)
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
