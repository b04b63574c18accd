package audit

import (
	"encoding/json"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendHead writes the members before requestParameters: those that a
// caller's repeated call repeats (the writer reuses their bytes: sameHead).
func appendHead(b []byte, r *Record) []byte {
	b = append(b, `{"eventVersion":`...)
	b = appendString(b, r.EventVersion)
	b = field(b, "eventSource", r.EventSource)
	b = field(b, "eventName", r.EventName)
	b = field(b, "awsRegion", r.AWSRegion)
	b = optField(b, "sourceIPAddress", r.SourceIPAddress)
	b = optField(b, "userAgent", r.UserAgent)
	b = append(b, `,"userIdentity":`...)
	b = appendIdentity(b, &r.UserIdentity)
	b = field(b, "eventType", r.EventType)
	b = append(b, `,"readOnly":`...)
	b = strconv.AppendBool(b, r.ReadOnly)
	b = optField(b, "recipientAccountId", r.RecipientAccountID)
	if a := r.Authorization; a != nil {
		b = append(b, `,"authorization":`...)
		b = appendAuthorization(b, a)
	}
	return b
}

// appendParamsMember writes the requestParameters member.
func appendParamsMember(b []byte, m map[string]any) ([]byte, error) {
	b = append(b, `,"requestParameters":`...)
	return appendParams(b, m)
}

// appendErrors writes the error members.
func appendErrors(b []byte, r *Record) []byte {
	b = optField(b, "errorCode", r.ErrorCode)
	return optField(b, "errorMessage", r.ErrorMessage)
}

// appendTimeAndIDs writes the last members (store.AuditTail's, escaped as
// JSON escapes them) and the closing brace.
func appendTimeAndIDs(b []byte, r *Record) []byte {
	b = append(b, `,"eventTime":`...)
	b = appendTime(b, r.EventTime)
	b = field(b, "requestID", r.RequestID)
	b = field(b, "eventID", r.EventID)
	return append(b, '}')
}

func appendIdentity(b []byte, u *UserIdentity) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, string(u.Type))
	b = optField(b, "principalId", u.PrincipalID)
	b = optField(b, "arn", u.ARN)
	b = optField(b, "accountId", u.AccountID)
	b = optField(b, "accessKeyId", u.AccessKeyID)
	b = optField(b, "userName", u.UserName)
	if sc := u.SessionContext; sc != nil {
		b = append(b, `,"sessionContext":{`...)
		if si := sc.SessionIssuer; si != nil {
			b = append(b, `"sessionIssuer":{"type":`...)
			b = appendString(b, si.Type)
			b = field(b, "principalId", si.PrincipalID)
			b = field(b, "arn", si.ARN)
			b = field(b, "accountId", si.AccountID)
			b = field(b, "userName", si.UserName)
			b = append(b, "},"...)
		}
		b = append(b, `"attributes":{`...)
		if !sc.Attributes.CreationDate.IsZero() {
			b = append(b, `"creationDate":`...)
			b = appendTime(b, sc.Attributes.CreationDate)
			b = append(b, ',')
		}
		b = append(b, `"mfaAuthenticated":`...)
		b = appendString(b, sc.Attributes.MFAAuthenticated)
		b = append(b, '}')
		b = optField(b, "sourceIdentity", sc.SourceIdentity)
		if w := sc.WebIDFederationData; w != nil {
			b = append(b, `,"webIdFederationData":{"federatedProvider":`...)
			b = appendString(b, w.FederatedProvider)
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	b = optField(b, "invokedBy", u.InvokedBy)
	return append(b, '}')
}

func appendAuthorization(b []byte, a *Authorization) []byte {
	b = append(b, `{"decision":`...)
	b = appendString(b, string(a.Decision))
	b = append(b, `,"enforced":`...)
	b = strconv.AppendBool(b, a.Enforced)
	b = field(b, "action", a.Action)
	b = field(b, "resource", a.Resource)
	if len(a.Statements) > 0 {
		b = append(b, `,"statements":[`...)
		for i, s := range a.Statements {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"policyType":`...)
			b = appendString(b, s.PolicyType)
			b = field(b, "policy", s.Policy)
			b = optField(b, "policyVersion", s.PolicyVersion)
			b = optField(b, "sid", s.Sid)
			b = append(b, `,"index":`...)
			b = strconv.AppendInt(b, int64(s.Index), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendList(b, "lacking", a.Lacking)
	b = appendList(b, "missingContextKeys", a.MissingContextKeys)
	b = optField(b, "reason", a.Reason)
	return append(b, '}')
}

func appendList(b []byte, name string, l []string) []byte {
	if len(l) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendParams writes requestParameters: by hand when every value is a
// string (the Query protocol's), else with encoding/json.
func appendParams(b []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if _, ok := v.(string); !ok {
			j, err := json.Marshal(m)
			return append(b, j...), err
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, m[k].(string))
	}
	return append(b, '}'), nil
}

// field writes ,"name":"value"; optField the same unless value is "".
func field(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

func optField(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	return field(b, name, value)
}

// appendTime writes t as time.Time's MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does (HTML
// characters, U+2028 and U+2029 escaped; invalid UTF-8 as U+FFFD).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
