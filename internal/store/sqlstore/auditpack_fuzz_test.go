package sqlstore

import (
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func TestPackAudit(t *testing.T) {
	in := []store.AuditRecord{
		{ID: "a", Time: time.Unix(0, 12345).UTC(), Account: "111122223333", Principal: "p:1", Entity: "e", Service: "iam",
			Action: "iam:GetUser", Region: "us-east-1", Decision: "Allow", Event: []byte(`{"x":"1:2:3"}`)},
		{ID: "b", Time: time.Unix(0, 99).UTC(), Event: []byte("ünïcode")},
	}
	var out []store.AuditRecord
	if err := unpackAudit(packAudit(in), func(r store.AuditRecord) { out = append(out, r) }); err != nil {
		t.Fatalf("unpackAudit(packAudit) = %v", err)
	}
	if len(out) != 2 {
		t.Fatalf("unpackAudit(packAudit) = %d records, want 2", len(out))
	}
	for i := range in {
		a, b := in[i], out[i]
		if a.ID != b.ID || !a.Time.Equal(b.Time) || a.Account != b.Account || a.Principal != b.Principal || a.Entity != b.Entity ||
			a.Service != b.Service || a.Action != b.Action || a.Region != b.Region || a.Decision != b.Decision || string(a.Event) != string(b.Event) {
			t.Errorf("record %d = %+v, want %+v", i, b, a)
		}
	}
	for _, bad := range []string{"x", "3:ab", "1:a", "99999999999999999999999:a", "-1:a"} {
		if err := unpackAudit(bad, func(store.AuditRecord) {}); err == nil {
			t.Errorf("unpackAudit(%q) = nil, want an error", bad)
		}
	}
}

// FuzzUnpackAudit: no input makes unpacking panic, and what packs unpacks
// to itself.
func FuzzUnpackAudit(f *testing.F) {
	f.Add(packAudit([]store.AuditRecord{{ID: "a", Time: time.Unix(0, 1), Event: []byte("{}")}}))
	f.Add("1:a1:12:xx")
	f.Fuzz(func(t *testing.T, s string) {
		var got []store.AuditRecord
		if err := unpackAudit(s, func(r store.AuditRecord) { got = append(got, r) }); err != nil {
			return
		}
		var again []store.AuditRecord
		if err := unpackAudit(packAudit(got), func(r store.AuditRecord) { again = append(again, r) }); err != nil || len(again) != len(got) {
			t.Fatalf("repacking %d records: %d, %v", len(got), len(again), err)
		}
	})
}
