package audit

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
)

// variants are records that differ from sample(s) in one member each (or
// none), in the order one encoder meets them, with raw inputs that repeat
// and change.
func variants(s string) []*Record {
	change := []func(r *Record){
		func(*Record) {},
		func(*Record) {}, // the same again: the reused bytes
		func(r *Record) { r.EventName = "GetUser" },
		func(r *Record) { r.UserAgent += "x" },
		func(r *Record) { r.SourceIPAddress = "" },
		func(r *Record) { r.ReadOnly = false },
		func(r *Record) { r.UserIdentity.ARN = "arn:aws:iam::1:user/u" },
		func(r *Record) { r.UserIdentity.SessionContext = nil },
		func(r *Record) { r.UserIdentity.SessionContext.SessionIssuer.UserName = "other" },
		func(r *Record) { r.UserIdentity.SessionContext.SessionIssuer = nil },
		func(r *Record) { r.UserIdentity.SessionContext.WebIDFederationData = nil },
		func(r *Record) { r.UserIdentity.SessionContext.Attributes.MFAAuthenticated = "true" },
		func(r *Record) {
			c := r.UserIdentity.SessionContext.Attributes.CreationDate
			r.UserIdentity.SessionContext.Attributes.CreationDate = c.UTC() // the same instant, another zone
		},
		func(r *Record) { r.Authorization = nil },
		func(r *Record) { r.Authorization.Enforced = true },
		func(r *Record) { r.Authorization.Statements = r.Authorization.Statements[:1] },
		func(r *Record) { r.Authorization.Statements[0].Index = 4 },
		func(r *Record) { r.Authorization.Lacking = nil },
		func(r *Record) { r.Authorization.MissingContextKeys = append(r.Authorization.MissingContextKeys, "k") },
		func(r *Record) { r.Authorization.Reason = "" },
		func(r *Record) { r.ErrorCode, r.ErrorMessage = "", "" },
		// Repeated calls (their heads equal: the session's creation time
		// in one location): each shares the last record's body.
		func(r *Record) { repeat(r) },
		func(r *Record) { repeat(r) },
		func(r *Record) { repeat(r); r.RequestID, r.EventName = s, "GetUser" }, // a request id to escape: whole
		func(r *Record) { repeat(r); r.EventName = "GetUser" },                 // after a whole one
		func(r *Record) { repeat(r); r.EventName = "GetUser" },
		func(r *Record) { repeat(r); r.ErrorMessage = "" },
		func(r *Record) { repeat(r); r.ErrorMessage, r.Input = "", nil },
		func(r *Record) { repeat(r); r.ErrorMessage, r.Input = "", nil },
		func(r *Record) { repeat(r); r.ErrorMessage, r.Input = "", nil },
	}
	inputs := []struct {
		in   string
		form bool
	}{{"Action=GetUser&UserName=" + s, true}, {"Action=GetUser&UserName=" + s, true}, {"Action=GetUser&UserName=" + s, false},
		{`{"name":"` + s + `","password":"hidden"}`, false}, {"", true}, {"Action=GetUser&UserName=" + s, true}, {"Password=p&UserName=u", true}}
	var out []*Record
	for i, c := range change {
		r := sample(s)
		r.RequestParameters = nil
		in := inputs[i%len(inputs)]
		r.Input, r.InputForm = []byte(in.in), in.form
		r.EventTime = r.EventTime.Add(time.Duration(i) * time.Millisecond)
		c(r)
		out = append(out, r)
	}
	// The server shares one Authorization between calls: the last two
	// records share the one before's.
	n := len(out)
	out[n-2].Authorization = out[n-3].Authorization
	out[n-1].Authorization = out[n-2].Authorization
	return out
}

// repeat makes r's head and input the same as every other repeated
// record's.
func repeat(r *Record) {
	c := &r.UserIdentity.SessionContext.Attributes.CreationDate
	*c = c.UTC()
	r.Input, r.InputForm = []byte("Action=GetUser&UserName=u"), true
}

// TestEncoderReuse holds the JSON one encoder writes for a run of records,
// reusing the last record's bytes where they repeat, equal to what a new
// encoder writes for each.
func TestEncoderReuse(t *testing.T) {
	for _, s := range []string{"plain", `quo"te`, "<&>", "ünï\u2028", ""} {
		var e encoder
		fresh := variants(s)
		for i, r := range variants(s) {
			row, err := e.encode(r)
			if err != nil {
				t.Fatal(err)
			}
			got := e.whole(nil, &row)
			wantRow, want, err := Encode(fresh[i])
			if err != nil {
				t.Fatal(err)
			}
			row.Event, row.WithoutTail, wantRow.Event = nil, false, nil
			if !reflect.DeepEqual(row, wantRow) {
				t.Errorf("record %d (%q): encoder's row\n%+v\nwant\n%+v", i, s, row, wantRow)
			}
			if string(got) != string(want) {
				t.Errorf("record %d (%q): encoder wrote\n%s\nwant\n%s", i, s, got, want)
			}
		}
	}
}

// FuzzEncoderReuse: for any string in any member and input, one encoder
// writes each record of the run as a new encoder does.
func FuzzEncoderReuse(f *testing.F) {
	f.Add("a<b>&\u2028\xff")
	f.Add("Password=x&")
	f.Fuzz(func(t *testing.T, s string) {
		var e encoder
		fresh := variants(s)
		for i, r := range variants(s) {
			row, err1 := e.encode(r)
			got := e.whole(nil, &row)
			_, want, err2 := Encode(fresh[i])
			if (err1 == nil) != (err2 == nil) || string(got) != string(want) {
				t.Fatalf("record %d (%q): encoder wrote\n%s, %v\nwant\n%s, %v", i, s, got, err1, want, err2)
			}
		}
	})
}

// TestEventIDs: the writer's event ids are version 8 UUIDs in their
// canonical form, none the same, across the chunks they are made in; one
// writer's share their first half (the store writes each against the one
// before), another writer's do not.
func TestEventIDs(t *testing.T) {
	var e, other encoder
	seen := map[string]bool{}
	first := e.eventID()
	for range 3*idChunk + 5 {
		id := e.eventID()
		u, err := uuid.Parse(id)
		if err != nil || u.String() != id || u.Version() != 8 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("event id %q: %v, version %d, variant %v; want a canonical version 8 UUID", id, err, u.Version(), u.Variant())
		}
		if seen[id] || id == first {
			t.Fatalf("event id %q made twice", id)
		}
		seen[id] = true
		if id[:idPrefixLen] != first[:idPrefixLen] {
			t.Fatalf("event id %q, after %q: want the same prefix", id, first)
		}
	}
	if id := other.eventID(); id[:idPrefixLen] == first[:idPrefixLen] {
		t.Errorf("two writers' event ids %q and %q share their prefix", id, first)
	}
}
