package audit

import (
	"encoding/json"
	"testing"
	"time"
)

// sample is a record with every member set, strings that need escaping.
func sample(s string) *Record {
	return &Record{EventVersion: EventVersion, EventTime: time.Date(2026, 5, 1, 10, 0, 0, 123400, time.UTC), EventSource: "iam.amazonaws.com",
		EventName: "CreateUser", AWSRegion: "us-east-1", SourceIPAddress: "127.0.0.1", UserAgent: s, RequestID: "r", EventID: "e",
		EventType: "AwsApiCall", ReadOnly: true, RecipientAccountID: "111122223333", ErrorCode: "AccessDenied", ErrorMessage: s,
		UserIdentity: UserIdentity{Type: IdentityAssumedRole, PrincipalID: "AROA:s", ARN: s, AccountID: "111122223333", AccessKeyID: "ASIA",
			UserName: s, InvokedBy: s, SessionContext: &SessionContext{SessionIssuer: &SessionIssuer{Type: "Role", PrincipalID: "AROA", ARN: s,
				AccountID: "1", UserName: s}, Attributes: SessionAttributes{CreationDate: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
				MFAAuthenticated: "false"}, SourceIdentity: s, WebIDFederationData: &WebIDFederationData{FederatedProvider: s}}},
		RequestParameters: map[string]any{"b": s, "a": "x", s: "y"},
		Authorization: &Authorization{Decision: ExplicitDeny, Action: "iam:CreateUser", Resource: s, Reason: s,
			Statements: []Statement{{PolicyType: "identity", Policy: s, PolicyVersion: "v1", Sid: s, Index: 3}, {PolicyType: "boundary", Policy: "p"}},
			Lacking:    []string{"identity", s}, MissingContextKeys: []string{s}}}
}

// TestAppendRecord holds appendRecord's bytes equal to encoding/json's.
func TestAppendRecord(t *testing.T) {
	for _, s := range []string{"plain", `quo"te\back`, "<html>&amp;", "ctl\x00\x01\x1f\b\f\n\r\t", "\u2028\u2029", "bad\xff\xfeutf8", "ünïcödé 世界", ""} {
		for _, r := range []*Record{sample(s), {EventTime: time.Unix(0, 0).UTC()}, {UserIdentity: UserIdentity{SessionContext: &SessionContext{}}},
			{RequestParameters: map[string]any{"n": 1.5, "s": s, "l": []any{s, map[string]any{"k": s}}}}} {
			want, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendRecord(nil, r)
			if err != nil || string(got) != string(want) {
				t.Errorf("appendRecord(%q) =\n%s, %v\nwant\n%s", s, got, err, want)
			}
		}
	}
}

// FuzzAppendRecord: for any string in any member, appendRecord writes what
// encoding/json writes.
func FuzzAppendRecord(f *testing.F) {
	f.Add("a<b>&\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		r := sample(s)
		want, _ := json.Marshal(r)
		got, err := appendRecord(nil, r)
		if err != nil || string(got) != string(want) {
			t.Fatalf("appendRecord(%q) =\n%s\nwant\n%s", s, got, want)
		}
	})
}

func TestNewEventID(t *testing.T) {
	id := newEventID()
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[14] != '4' || id[18] != '-' || id[23] != '-' || id == newEventID() {
		t.Errorf("newEventID() = %q, want a random version 4 UUID", id)
	}
}

// appendRecord appends r's whole JSON from the writer's pieces (head,
// parameters, errors, time and ids): TestAppendRecord holds it byte for
// byte equal to what encoding/json writes for r, which the writer does not
// use (reflection was most of its CPU).
func appendRecord(b []byte, r *Record) ([]byte, error) {
	b = appendHead(b, r)
	if len(r.RequestParameters) > 0 {
		var err error
		if b, err = appendParamsMember(b, r.RequestParameters); err != nil {
			return nil, err
		}
	}
	return appendTail(b, r), nil
}

// appendTail writes the members after requestParameters and the closing
// brace.
func appendTail(b []byte, r *Record) []byte {
	return appendTimeAndIDs(appendErrors(b, r), r)
}
