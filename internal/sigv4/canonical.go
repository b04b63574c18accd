package sigv4

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// appendCanonicalRequest appends the canonical request of r to b:
//
//	METHOD \n URI \n QUERY \n HEADERS \n \n SIGNEDHEADERS \n PAYLOADHASH
//
// signedHeaders is the client's list, verbatim; query is already canonical.
func appendCanonicalRequest(b []byte, r *http.Request, query, signedHeaders string, payloadHash []byte) []byte {
	b = append(b, r.Method...)
	b = append(b, '\n')
	b = appendCanonicalURI(b, r.URL)
	b = append(b, '\n')
	b = append(b, query...)
	b = append(b, '\n')
	for name := range strings.SplitSeq(signedHeaders, ";") {
		b = append(b, name...)
		b = append(b, ':')
		b = appendHeaderValue(b, r, name)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = append(b, signedHeaders...)
	b = append(b, '\n')
	b = append(b, payloadHash...)
	return b
}

// appendCanonicalURI appends the path, URI-encoded once more (services other
// than S3 sign the escaped path escaped again, as the SDKs do).
func appendCanonicalURI(b []byte, u *url.URL) []byte {
	p := u.EscapedPath()
	if p == "" {
		return append(b, '/')
	}
	return appendEscaped(b, p, true)
}

// appendHeaderValue appends the canonical value of one signed header: values
// trimmed, inner runs of spaces collapsed, repeated headers joined by ','.
func appendHeaderValue(b []byte, r *http.Request, name string) []byte {
	switch name {
	case "host":
		return appendTrimmed(b, r.Host)
	case "content-length":
		if _, ok := r.Header["Content-Length"]; !ok && r.ContentLength >= 0 {
			// net/http may keep the length out of the header map.
			return strconv.AppendInt(b, r.ContentLength, 10)
		}
	case "transfer-encoding":
		if _, ok := r.Header["Transfer-Encoding"]; !ok && len(r.TransferEncoding) > 0 {
			return append(b, strings.Join(r.TransferEncoding, ",")...)
		}
	}
	for i, v := range r.Header[canonicalName(name)] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// canonicalName is textproto.CanonicalMIMEHeaderKey without its allocation
// for the headers SDKs sign.
func canonicalName(lower string) string {
	switch lower {
	case "content-type":
		return "Content-Type"
	case "x-amz-date":
		return "X-Amz-Date"
	case "x-amz-security-token":
		return "X-Amz-Security-Token"
	case "x-amz-content-sha256":
		return "X-Amz-Content-Sha256"
	case "x-amz-target":
		return "X-Amz-Target"
	case "date":
		return "Date"
	}
	return textproto.CanonicalMIMEHeaderKey(lower)
}

// appendTrimmed appends v without leading and trailing white space and with
// each inner run of spaces reduced to one.
func appendTrimmed(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
	}
	return b
}

// canonicalQuery returns the canonical query string of raw: each name and
// value decoded, then URI-encoded strictly, pairs sorted by name then value.
// dropSignature leaves out X-Amz-Signature (presigned requests).
func canonicalQuery(raw string, dropSignature bool) (string, error) {
	if raw == "" {
		return "", nil
	}
	type pair struct{ k, v string }
	pairs := make([]pair, 0, 8)
	for seg := range strings.SplitSeq(raw, "&") {
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			return "", err
		}
		if dropSignature && k == "X-Amz-Signature" {
			continue
		}
		v, err = url.QueryUnescape(v)
		if err != nil {
			return "", err
		}
		pairs = append(pairs, pair{string(appendEscaped(nil, k, false)), string(appendEscaped(nil, v, false))})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	var sb strings.Builder
	for i, p := range pairs {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(p.k)
		sb.WriteByte('=')
		sb.WriteString(p.v)
	}
	return sb.String(), nil
}

const upperHex = "0123456789ABCDEF"

// appendEscaped percent-encodes every byte of s but the unreserved ones
// (A–Z a–z 0–9 - _ . ~) and, when keepSlash, '/'.
func appendEscaped(b []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
