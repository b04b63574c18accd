package policy

import (
	"strings"
	"testing"
)

func TestPrintStrings(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "s3:GetObject", `"s3:GetObject"`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"controls", "a\tb\nc\x01", `"a\tb\nc\u0001"`},
		{"latin-1 kept", "café", `"café"`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p printer
			p.str(tt.in)
			if got := p.b.String(); got != tt.want {
				t.Errorf("str(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestPrintBuilt prints documents built in code, which Parse could not have
// returned, and checks that the output parses back to an Equal document.
func TestPrintBuilt(t *testing.T) {
	tests := []struct {
		name string
		doc  *Document
	}{
		{"empty", &Document{}},
		{"empty lists", &Document{Statements: []Statement{{Action: []string{}, Resource: []string{}}}}},
		{"number text that is no number", &Document{Statements: []Statement{{Conditions: []Condition{
			{Operator: Operator{Name: "NumericEquals", Comparison: NumericEquals}, Key: "k", Values: []Value{{"1e", ValueNumber}}},
		}}}}},
		{"principal types", &Document{Statements: []Statement{{Principal: &Principal{AWS: []string{"*"}, Service: []string{}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Print(tt.doc)
			d, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse(Print(%s)) = %v\n%s", tt.name, err, out)
			}
			// A number that is no number is printed as a string.
			for i := range d.Statements {
				for j := range d.Statements[i].Conditions {
					for k := range d.Statements[i].Conditions[j].Values {
						d.Statements[i].Conditions[j].Values[k].Type = tt.doc.Statements[i].Conditions[j].Values[k].Type
					}
				}
			}
			if !Equal(d, tt.doc) {
				t.Errorf("Parse(Print(%s)) is not Equal to it:\n%s", tt.name, out)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	base := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:b", "Resource": "*",
		"Condition": {"StringEquals": {"k1": "v"}, "Bool": {"k2": "true"}}}]}`
	tests := []struct {
		name, other string
		want        bool
	}{
		{"same", base, true},
		{"white space and lists", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["a:b"],"Resource":["*"],
			"Condition":{"Bool":{"k2":["true"]},"StringEquals":{"k1":["v"]}}}}`, true},
		{"another value", strings.Replace(base, `"v"`, `"w"`, 1), false},
		{"value type", strings.Replace(base, `"true"`, `true`, 1), false},
		{"list order", strings.Replace(base, `"a:b"`, `["a:b", "c:d"]`, 1), false},
		{"NotAction", strings.Replace(base, `"Action"`, `"NotAction"`, 1), false},
		{"absent Version", strings.Replace(base, `"Version": "2012-10-17", `, "", 1), false},
	}
	a, err := Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse(tt.other)
			if err != nil {
				t.Fatal(err)
			}
			if got := Equal(a, b); got != tt.want {
				t.Errorf("Equal(base, %s) = %v, want %v", tt.other, got, tt.want)
			}
		})
	}
	if Equal(a, nil) || !Equal(nil, nil) {
		t.Error("Equal with nil documents is wrong")
	}
}
