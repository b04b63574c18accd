package sqlstore

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/iamq/iamq/internal/store"
)

// event is a decision log event of the shape the log writes: the varying
// members last.
func event(i int, ua string) []byte {
	return []byte(fmt.Sprintf(`{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"GetUser","awsRegion":"us-east-1",`+
		`"userAgent":%q,"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bench"},"requestParameters":{"userName":"u%d"},`+
		`"eventTime":"2026-12-03T15:00:%02d.%09dZ","requestID":"req-%08d","eventID":"ev-%08d"}`, ua, i%3, i%60, i*7919, i, i))
}

// tailRecord is a record as the decision log writes it: the time and ids
// last.
func tailRecord(at time.Time, id, rid, ua string) store.AuditRecord {
	return store.AuditRecord{ID: id, Time: at, Account: "111122223333", Principal: "arn:aws:iam::111122223333:user/bench",
		Entity: "arn:aws:iam::111122223333:user/bench", Service: "iam", Action: "iam:GetUser", Region: "us-east-1", Decision: "Allow",
		Event: fmt.Appendf(nil, `{"eventVersion":"1.08","userAgent":%q,"requestParameters":{"userName":"bench"},"eventTime":"%s","requestID":"%s","eventID":"%s"}`,
			ua, at.Format(time.RFC3339Nano), rid, id)}
}

// logID is the decision log's i-th event id: a prefix and a counter.
func logID(i int) string {
	return fmt.Sprintf("5f0c1a2b-3c4d-8e5f-%04x-%012x", 0x8000|(i>>48)&0x3fff, i&0xffffffffffff)
}

// repeatedCalls are n records of one caller's repeated call, as the
// decision log writes them; short: without their last members, sharing
// one body, as it hands them over.
func repeatedCalls(n int, short bool) []store.AuditRecord {
	var rs []store.AuditRecord
	base := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	body := []byte(`{"eventVersion":"1.08","userAgent":"sdk","requestParameters":{"userName":"bench"}`)
	for i := range n {
		rid := fmt.Sprintf("1c6a7105-c8c1-f849-0000-%012d", i)
		r := tailRecord(base.Add(time.Duration(i*1237)*time.Microsecond), logID(i), rid, "sdk")
		if short {
			r.Event, r.WithoutTail, r.RequestID = body, true, rid
		}
		rs = append(rs, r)
	}
	return rs
}

// packCases are batches whose records repeat, differ, and hold multi-byte
// characters where a shared prefix or suffix would end.
func packCases() map[string][]store.AuditRecord {
	base := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	var same, mixed, logged []store.AuditRecord
	for i := range 50 {
		// As the decision log writes them: the id is the event's eventID.
		ev := event(i, "sdk")
		logged = append(logged, store.AuditRecord{ID: fmt.Sprintf("ev-%08d", i), Time: base.Add(time.Duration(i) * time.Millisecond),
			Account: "111122223333", Action: "iam:GetUser", Event: ev})
		if i%7 == 3 {
			logged[i].ID = "other" // the id is not the event's
		}
	}
	for i := range 50 {
		r := store.AuditRecord{ID: fmt.Sprintf("id-%d", i), Time: base.Add(time.Duration(i*37) * time.Millisecond), Account: "111122223333",
			Principal: "arn:aws:iam::111122223333:user/bench", Entity: "arn:aws:iam::111122223333:user/bench", Service: "iam",
			Action: "iam:GetUser", Region: "us-east-1", Decision: "Allow", Event: event(i, "sdk")}
		same = append(same, r)
		if i%2 == 1 {
			r.Principal, r.Action, r.Decision, r.ErrorCode = "arn:aws:iam::111122223333:user/ü", "iam:CreateUser", "Deny", "AccessDenied"
			r.Time = base.Add(-time.Duration(i) * time.Second) // out of order
			r.Event = event(i, "ua-ü-世界-"+strings.Repeat("é", i))
		}
		mixed = append(mixed, r)
	}
	// As the decision log writes them now: the time and the ids last, the
	// ids UUIDs; some records break the shape that lets their last members
	// be rebuilt.
	var tails []store.AuditRecord
	for i := range 40 {
		at := base.Add(time.Duration(i*1237) * time.Microsecond)
		id := fmt.Sprintf("%08x-3a8f-478c-af62-1ad841787bae", i*7919)
		rid := fmt.Sprintf("1c6a7105-c8c1-f849-0000-%012d", i)
		ua := "sdk"
		switch i % 10 {
		case 1:
			id = strings.ToUpper(id) // not a lowercase UUID: stored as a field
		case 2:
			at = at.Add(time.Nanosecond) // the event's time is not the record's
		case 3:
			rid = `a\\"b` // a request id with a backslash
		case 4:
			id = "not-a-uuid"
		case 5:
			rid = "ü-" + rid
		case 6:
			ua = "other"
		case 7:
			at = at.In(time.FixedZone("x", 3600)) // written with a zone
		case 8, 9:
			id = logID(i) // written against the previous id from the second on
		}
		r := tailRecord(at, id, rid, ua)
		if i%10 == 2 {
			r.Time = at.Add(-time.Nanosecond)
		}
		tails = append(tails, r)
	}
	return map[string][]store.AuditRecord{
		"decision log tails": tails,
		"same caller":        same,
		"ids in events":      logged,
		"two callers":        mixed,
		"runes at the cut": {
			{ID: "a", Time: base, Event: []byte("xé1")}, {ID: "b", Time: base, Event: []byte("xè1")},
			{ID: "c", Time: base, Event: []byte("1éy")}, {ID: "d", Time: base, Event: []byte("1èy")},
		},
		"empty and zero": {{ID: "a"}, {ID: "a"}, {ID: "b", Time: time.Unix(0, 12345).UTC(), Event: []byte(`{"x":"1:2:3,=;"}`)}},
	}
}

func TestPackAudit(t *testing.T) {
	for name, in := range packCases() {
		t.Run(name, func(t *testing.T) {
			packed := packAudit(in)
			if !utf8.ValidString(packed) {
				t.Errorf("packAudit wrote invalid UTF-8")
			}
			var out []store.AuditRecord
			if err := unpackAudit(packed, func(r store.AuditRecord) { out = append(out, r) }); err != nil {
				t.Fatalf("unpackAudit(packAudit) = %v", err)
			}
			if len(out) != len(in) {
				t.Fatalf("unpackAudit(packAudit) = %d records, want %d", len(out), len(in))
			}
			for i := range in {
				if a, b := in[i], out[i]; !sameRecord(a, b) {
					t.Errorf("record %d = %+v, want %+v", i, b, a)
				}
			}
		})
	}
	// A repeated call's record costs a small part of its event.
	same := packCases()["same caller"]
	if n, ev := len(packAudit(same))/len(same), len(same[0].Event); n > ev/2 {
		t.Errorf("packAudit: %d bytes per record of a %d-byte event repeated, want at most half", n, ev)
	}
	// As the decision log writes a repeated call: some 25 bytes.
	for _, short := range []bool{false, true} {
		repeated := repeatedCalls(100, short)
		if n := len(packAudit(repeated)) / len(repeated); n > 28 {
			t.Errorf("packAudit: %d bytes per repeated call (short %v), want at most 28", n, short)
		}
	}
	for _, bad := range []string{"x", "3:ab", "1:a", "99999999999999999999999:a", "-1:a",
		"v2;1:a5;", "v2;1:a5;=========0,0,0,", "v2;1:a5;========1,0,0,0:", "v2;1:a5;========0,1,0,0:", "v2;1:a5;========0,0,0,5:ab",
		"v2;1:ax;========0,0,0,0:", "v2;1:a5;========5,0,0,0:",
		"v2;~5;========0,0,0,15:{\"eventID\":\"a\"}", // "~" is version 3's
		"v3;~5;========0,0,0,7:{\"x\":1}", "v3;~5;========0,0,0,14:{\"eventID\":\"\"}", "v3;~5;========0,0,0,16:{\"eventID\":\"a\"\"}",
		"v4;x1:a5;*!", "v4;f1:a5;*!", "v4;f#abc5;*0,0,0,0:", "v4;f#AAAAAAAAAAAAAAAAAAAAA!5;*0,0,0,0:", "v4;t1:a5;*3,0:0,0,0,0:",
		"v4;f1:a5;0,0,0,0:", "v4;f1:a5;*0,0,0,0:f=5;*1,0,0,0:f=5;*3,0,0,0:",
		"v4;f1:a5;*0,0,0,0:f^1,0:5;*!",                                   // '^' is version 5's
		"v5;f1:a5;*0,0,0,0:f^2,0:5;*!", "v5;f1:a5;*0,0,0,0:f^x,0:5;*!"} { // longer than the previous id; not a number

		if err := unpackAudit(bad, func(store.AuditRecord) {}); err == nil {
			t.Errorf("unpackAudit(%q) = nil, want an error", bad)
		}
	}
}

// TestUnpackAuditV2 reads a batch packed in version 2, and an id of
// version 3 read from its event.
func TestUnpackAuditV2(t *testing.T) {
	for _, packed := range []string{"v2;1:a5;========0,0,0,15:{\"eventID\":\"a\"}", "v3;~5;========0,0,0,15:{\"eventID\":\"a\"}"} {
		var out []store.AuditRecord
		if err := unpackAudit(packed, func(r store.AuditRecord) { out = append(out, r) }); err != nil {
			t.Fatalf("unpackAudit(%q) = %v", packed, err)
		}
		want := store.AuditRecord{ID: "a", Time: time.Unix(0, 5).UTC(), Event: []byte(`{"eventID":"a"}`)}
		if len(out) != 1 || !sameRecord(out[0], want) {
			t.Errorf("unpackAudit(%q) = %+v, want %+v", packed, out, want)
		}
	}
}

// TestUnpackAuditV1 reads a batch packed before version 2.
func TestUnpackAuditV1(t *testing.T) {
	v1 := "1:a5:123452:p13:p:11:e3:iam11:iam:GetUser9:us-east-15:Allow0:7:{\"x\":1}" +
		"1:b2:990:0:0:0:0:0:0:0:9:ünïcode"
	var out []store.AuditRecord
	if err := unpackAudit(v1, func(r store.AuditRecord) { out = append(out, r) }); err != nil {
		t.Fatalf("unpackAudit(v1) = %v", err)
	}
	want := []store.AuditRecord{{ID: "a", Time: time.Unix(0, 12345).UTC(), Account: "p1", Principal: "p:1", Entity: "e", Service: "iam",
		Action: "iam:GetUser", Region: "us-east-1", Decision: "Allow", Event: []byte(`{"x":1}`)},
		{ID: "b", Time: time.Unix(0, 99).UTC(), Event: []byte("ünïcode")}}
	if len(out) != 2 || !sameRecord(out[0], want[0]) || !sameRecord(out[1], want[1]) {
		t.Errorf("unpackAudit(v1) = %+v, want %+v", out, want)
	}
}

func sameRecord(a, b store.AuditRecord) bool {
	return a.ID == b.ID && a.Time.Equal(b.Time) && a.Account == b.Account && a.Principal == b.Principal && a.Entity == b.Entity &&
		a.Service == b.Service && a.Action == b.Action && a.Region == b.Region && a.Decision == b.Decision && a.ErrorCode == b.ErrorCode &&
		string(a.Event) == string(b.Event)
}

// BenchmarkPackAudit packs a batch of 512 records of one caller's
// repeated call, as the decision log writes them (ids in the events).
func BenchmarkPackAudit(b *testing.B) {
	var rs []store.AuditRecord
	for range 11 {
		rs = append(rs, packCases()["ids in events"]...)
	}
	rs = rs[:512]
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(packAudit(rs))
	}
	b.ReportMetric(float64(n)/float64(len(rs)), "B/record")
}

// FuzzUnpackAudit: no input makes unpacking panic, and what packs unpacks
// to itself.
func FuzzUnpackAudit(f *testing.F) {
	for _, in := range packCases() {
		f.Add(packAudit(in))
	}
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
		for i := range got {
			if !sameRecord(got[i], again[i]) {
				t.Fatalf("record %d repacked = %+v, want %+v", i, again[i], got[i])
			}
		}
	})
}

// BenchmarkPackRepeated packs a batch of 2048 records of one caller's
// repeated call as the decision log writes them: events whole, and without
// their last members, sharing one body (as the log hands them over).
func BenchmarkPackRepeated(b *testing.B) {
	for _, short := range []bool{false, true} {
		b.Run(map[bool]string{false: "whole", true: "short"}[short], func(b *testing.B) {
			rs := repeatedCalls(2048, short)
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = appendPack(buf[:0], rs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/record")
			b.ReportMetric(float64(len(buf))/float64(len(rs)), "B/record")
		})
	}
}
