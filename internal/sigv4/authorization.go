package sigv4

import (
	"net/http"
	"net/url"
	"strings"
)

// Algorithm is the only signing algorithm iamq verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// Authorization is a parsed SigV4 Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=…
type Authorization struct {
	Credential    string // AKID/DATE/REGION/SERVICE/aws4_request, unparsed
	SignedHeaders string // as the client sent it: lower-case names joined by ';'
	Signature     string // lower-case hex
}

// ParseAuthorization parses an Authorization header. A header of another
// algorithm, or one lacking a component, is an IncompleteSignature error that
// names every missing component, as AWS does; so is a component without '='.
// It does not check the date header: see [Verifier.Verify].
func ParseAuthorization(h string) (Authorization, error) {
	var a Authorization
	missing := a.parse(h)
	if missing != nil {
		return a, missing
	}
	if m := a.missing(); m != "" {
		return a, newError(CodeIncompleteSignature, "%sAuthorization=%s", m, h)
	}
	return a, nil
}

// parse fills a from h, returning an error only for a malformed pair.
func (a *Authorization) parse(h string) error {
	alg, rest, _ := strings.Cut(h, " ")
	if alg != Algorithm {
		return nil // every component will be reported missing
	}
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] != ',' && rest[i] != ' ' && rest[i] != '\t' {
			i++
		}
		tok := rest[:i]
		if i < len(rest) {
			i++
		}
		rest = rest[i:]
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return newError(CodeIncompleteSignature, "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", tok, h)
		}
		switch k {
		case "Credential":
			a.Credential = v
		case "SignedHeaders":
			a.SignedHeaders = v
		case "Signature":
			a.Signature = v
		}
	}
	return nil
}

// missing lists the absent components in AWS's words, each sentence followed
// by a space, or "" when none is missing.
func (a *Authorization) missing() string {
	var b strings.Builder
	if a.Credential == "" {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if a.Signature == "" {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if a.SignedHeaders == "" {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	return b.String()
}

// Scope is a parsed credential: the access key id and the scope it signs for.
type Scope struct {
	AccessKeyID string
	Date        string // YYYYMMDD
	Region      string
	Service     string
	Terminator  string // must be "aws4_request"
}

// String returns the credential scope as the string to sign carries it:
// DATE/REGION/SERVICE/aws4_request.
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + s.Terminator
}

// ParseCredential splits AKID/DATE/REGION/SERVICE/aws4_request. A credential
// of another shape is IncompleteSignature; the terminator is checked later, by
// [Verifier.Verify], because AWS answers it with SignatureDoesNotMatch.
func ParseCredential(c string) (Scope, error) {
	var parts [5]string
	rest := c
	for i := range 4 {
		var ok bool
		parts[i], rest, ok = strings.Cut(rest, "/")
		if !ok || parts[i] == "" {
			return Scope{}, malformedCredential(c)
		}
	}
	if rest == "" || strings.Contains(rest, "/") {
		return Scope{}, malformedCredential(c)
	}
	parts[4] = rest
	return Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3], Terminator: parts[4]}, nil
}

// malformedCredential: AWS's text for this case is not public; the wording is
// iamq's own.
func malformedCredential(c string) *Error {
	return newError(CodeIncompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", c)
}

// ScopeOf returns the credential a request claims to be signed with, from its
// Authorization header or presigned query, without verifying anything; ok is
// false when it claims none or the credential is malformed. The server uses it
// to route a request before verification, and in dev mode.
func ScopeOf(r *http.Request) (s Scope, ok bool) {
	var cred string
	if h := r.Header.Get("Authorization"); h != "" {
		var a Authorization
		if a.parse(h) != nil {
			return Scope{}, false
		}
		cred = a.Credential
	} else if isPresigned(r.URL.RawQuery) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return Scope{}, false
		}
		cred = q.Get("X-Amz-Credential")
	}
	s, err := ParseCredential(cred)
	return s, err == nil
}
