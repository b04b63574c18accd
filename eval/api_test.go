package eval

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/iamq/iamq/policy"
)

func TestContextAdd(t *testing.T) {
	var c Context
	c.Add("aws:TagKeys", String("a"))
	c.Add("aws:SourceIp", IP(netip.MustParseAddr("10.0.0.1")))
	c.Add("AWS:TAGKEYS", String("b")) // same key, another case: appended
	c.Add("empty")
	tests := []struct {
		key     string
		want    []string
		present bool
	}{
		{"aws:tagkeys", []string{"a", "b"}, true},
		{"aws:SourceIp", []string{"10.0.0.1"}, true},
		{"empty", nil, true},
		{"absent", nil, false},
	}
	for _, tt := range tests {
		vals, ok := c.Lookup(tt.key)
		var got []string
		for _, v := range vals {
			got = append(got, v.Text())
		}
		if ok != tt.present || !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%q) = %q, %v, want %q, %v", tt.key, got, ok, tt.want, tt.present)
		}
	}
	if got := c.Keys(); !slices.Equal(got, []string{"aws:TagKeys", "aws:SourceIp", "empty"}) {
		t.Errorf("Keys() = %q", got)
	}
	c.Reset()
	if _, ok := c.Lookup("aws:TagKeys"); ok {
		t.Error("Lookup after Reset found a key")
	}
}

// TestContextMany looks keys up past the hashed index (300 keys).
func TestContextMany(t *testing.T) {
	var c Context
	for i := 0; i < 300; i++ {
		c.Add(fmt.Sprintf("k:%d", i), Number(float64(i)))
	}
	c.Add("K:7", Number(1000)) // appends to k:7
	for _, i := range []int{0, 7, 254, 255, 299} {
		vals, ok := c.Lookup(fmt.Sprintf("K:%d", i))
		if !ok || vals[0].n != float64(i) {
			t.Errorf("Lookup(K:%d) = %v, %v", i, vals, ok)
		}
	}
	if vals, _ := c.Lookup("k:7"); len(vals) != 2 || vals[1].n != 1000 {
		t.Errorf("Lookup(k:7) = %v, want two values", vals)
	}
	if _, ok := c.Lookup("k:300"); ok {
		t.Error("Lookup(k:300) found a key never added")
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		typ, text, want string
		err             error
	}{
		{"string", "x", "x", nil},
		{"stringList", "x", "x", nil},
		{"numeric", "1.5", "1.5", nil},
		{"numeric", "ten", "", policy.ErrValue},
		{"boolean", "TRUE", "true", nil},
		{"date", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", nil},
		{"ip", "2001:db8::1", "2001:db8::1", nil},
		{"ip", "10.0.0.0/8", "", policy.ErrValue},
		{"binary", "AAEC", "AAEC", nil},
		{"decimal", "1", "", ErrValueType},
	}
	for _, tt := range tests {
		v, err := ParseValue(tt.typ, tt.text)
		if !errors.Is(err, tt.err) || (err == nil && v.Text() != tt.want) {
			t.Errorf("ParseValue(%q, %q) = %q, %v, want %q, %v", tt.typ, tt.text, v.Text(), err, tt.want, tt.err)
		}
	}
}

func TestCompileNoDocument(t *testing.T) {
	if _, err := Compile(Policies{Identity: []Policy{{ID: "x"}}}); !errors.Is(err, ErrNoDocument) {
		t.Errorf("Compile(no document) = %v, want ErrNoDocument", err)
	}
}

func TestExplainPositionsAndKeys(t *testing.T) {
	text := "{\"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n   \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\",\n   \"Condition\": {\"StringLike\": {\"s3:prefix\": \"${aws:PrincipalTag/dept}*\"}, \"Bogus\": {\"k\": \"v\"}}},\n  {\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}}\n]}"
	doc := mustParse(t, text)
	set, err := Compile(Policies{Identity: []Policy{{ID: "p", Version: "v2", Document: doc}}})
	if err != nil {
		t.Fatal(err)
	}
	// The keys of conditions (even one with an unknown operator) and of
	// variables, sorted case-insensitively.
	wantKeys := []string{"aws:PrincipalTag/dept", "aws:SecureTransport", "aws:username", "k", "s3:prefix"}
	if got := set.ContextKeys(); !slices.Equal(got, wantKeys) {
		t.Errorf("ContextKeys() = %q, want %q", got, wantKeys)
	}
	req := &Request{Principal: Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::1:user/u", Account: "1"}, Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Context: &Context{}}
	req.Context.Add("aws:SecureTransport", Bool(true))
	e := set.Explain(req)
	if e.Decision != Allowed || len(e.Statements) != 1 {
		t.Fatalf("Explain = %+v", e)
	}
	m := e.Statements[0]
	if m.PolicyVersion != "v2" || m.Index != 1 || m.Start.Line != 6 || m.End.Line != 6 || text[m.End.Offset-1] != '}' || text[m.Start.Offset] != '{' {
		t.Errorf("Explain match = %+v", m)
	}
	if len(e.Diagnostics) != 1 || e.Diagnostics[0].Index != 0 || e.Diagnostics[0].Pos.Line != 5 {
		t.Errorf("Explain diagnostics = %+v, want one for statement 0, line 5", e.Diagnostics)
	}
}

func TestMerge(t *testing.T) {
	id := mustParse(t, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}`)
	trust := mustParse(t, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole"}]}`)
	caller, _ := Compile(Policies{Identity: []Policy{{ID: "id", Document: id}}})
	role, _ := Compile(Policies{Resource: []Policy{{ID: "trust", Document: trust}}})
	req := &Request{Principal: Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::444455556666:user/u", Account: "444455556666"},
		Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/R", ResourceAccount: "111122223333"}
	tests := []struct {
		name string
		set  *Set
		want Decision
	}{
		{"caller only", caller, ImplicitDeny},
		{"trust only", role, ImplicitDeny},
		{"both", Merge(caller, role), Allowed},
		{"nil ignored", Merge(nil, caller, role), Allowed},
		{"nil set", nil, ImplicitDeny},
	}
	for _, tt := range tests {
		if got := tt.set.Evaluate(req); got != tt.want {
			t.Errorf("Evaluate(%s) = %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.set.Explain(req).Decision; got != tt.want {
			t.Errorf("Explain(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValueText(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Number(1.25), "1.25"}, {Bool(false), "false"}, {Binary([]byte{0, 1, 2}), "AAEC"},
		{Time(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))), "2026-01-02T02:04:05Z"},
	}
	for _, tt := range tests {
		if got := tt.v.Text(); got != tt.want {
			t.Errorf("Text() = %q, want %q", got, tt.want)
		}
		var buf []byte
		if got := string(appendText(buf, &tt.v)); got != tt.want {
			t.Errorf("appendText() = %q, want %q", got, tt.want)
		}
	}
}
