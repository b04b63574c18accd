package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validateCase is one file of testdata/validate: an issue code with a
// policy that triggers it and one that does not.
type validateCase struct {
	code           IssueCode
	typ            FindingType
	policyType     PolicyType
	resourceType   string
	at             string // the text the finding's span covers, when given
	trigger, clean string
}

// loadValidateCases reads testdata/validate/CODE.txt: "key: value" lines,
// then "-- trigger --" and "-- clean --" sections.
func loadValidateCases(tb testing.TB) []validateCase {
	files, err := filepath.Glob("testdata/validate/*.txt")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no validate corpus: %v", err)
	}
	var out []validateCase
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		head, rest, _ := strings.Cut(string(raw), "-- trigger --\n")
		trigger, clean, _ := strings.Cut(rest, "-- clean --\n")
		c := validateCase{code: IssueCode(strings.TrimSuffix(filepath.Base(f), ".txt")),
			trigger: strings.TrimSpace(trigger), clean: strings.TrimSpace(clean)}
		for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "type":
				c.typ = FindingType(v)
			case "policyType":
				c.policyType = PolicyType(v)
			case "resourceType":
				c.resourceType = v
			case "at":
				c.at = v
			}
		}
		out = append(out, c)
	}
	return out
}

func findingsWith(fs []ValidationFinding, code IssueCode) []ValidationFinding {
	var out []ValidationFinding
	for _, f := range fs {
		if f.IssueCode == code {
			out = append(out, f)
		}
	}
	return out
}

// TestValidatePolicyCorpus: each issue code of the corpus is reported, with
// its finding type and location, for the policy that triggers it, and not
// for the one that does not.
func TestValidatePolicyCorpus(t *testing.T) {
	cases := loadValidateCases(t)
	if len(cases) < 15 {
		t.Fatalf("%d issue codes in the corpus, want at least 15", len(cases))
	}
	for _, c := range cases {
		t.Run(string(c.code), func(t *testing.T) {
			opts := ValidateOptions{ResourceType: c.resourceType}
			got := findingsWith(ValidatePolicy(c.trigger, c.policyType, opts), c.code)
			if len(got) == 0 {
				t.Fatalf("ValidatePolicy(trigger) = %+v, want %s", ValidatePolicy(c.trigger, c.policyType, opts), c.code)
			}
			f := got[0]
			if f.Type != c.typ {
				t.Errorf("ValidatePolicy(trigger) %s is %s, want %s", c.code, f.Type, c.typ)
			}
			if f.Details == "" || !strings.HasPrefix(f.LearnMoreLink, referenceURL+"#") || len(f.Locations) != 1 {
				t.Errorf("ValidatePolicy(trigger) %s = %+v, want details, a link and one location", c.code, f)
			}
			sp := f.Locations[0].Span
			if sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(c.trigger) || sp.Start.Line < 1 || sp.Start.Column < 1 {
				t.Fatalf("ValidatePolicy(trigger) %s span %+v is not in the text", c.code, sp)
			}
			if text := c.trigger[sp.Start.Offset:sp.End.Offset]; c.at != "" && text != c.at {
				t.Errorf("ValidatePolicy(trigger) %s spans %q, want %q", c.code, text, c.at)
			}
			if clean := findingsWith(ValidatePolicy(c.clean, c.policyType, opts), c.code); len(clean) > 0 {
				t.Errorf("ValidatePolicy(clean) = %+v, want no %s", clean, c.code)
			}
		})
	}
}

// TestValidatePolicyCleanPolicies: the Amazon MQ managed policies' current
// versions have no ERROR or SECURITY_WARNING.
func TestValidatePolicyClean(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["mq:Describe*", "mq:List*"], "Resource": "*"}
  ]
}`
	if got := ValidatePolicy(text, IdentityPolicy, ValidateOptions{}); len(got) != 0 {
		t.Errorf("ValidatePolicy = %+v, want none", got)
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want []PathElem
	}{
		{"", nil},
		{"Statement[1].Action[2]", []PathElem{Key("Statement"), Index(1), Key("Action"), Index(2)}},
		{"Statement[0].Condition.StringEquals.accounts.google.com:aud[1]",
			[]PathElem{Key("Statement"), Index(0), Key("Condition"), Key("StringEquals"), Key("accounts.google.com:aud"), Index(1)}},
		{"Version", []PathElem{Key("Version")}},
	}
	for _, tt := range tests {
		got := ParsePath(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("ParsePath(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParsePath(%q) = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
}

func TestLocate(t *testing.T) {
	text := "{\n  \"Statement\": [\n    {\"Action\": [\"a:b\", \"c:d\"], \"Resource\": \"*\"},\n    {\"Sid\": \"x\\\"y\", \"Action\": \"e:f\"}\n  ]\n}"
	tests := []struct {
		path []PathElem
		want string
		line int
	}{
		{[]PathElem{Key("Statement"), Index(0), Key("Action"), Index(1)}, `"c:d"`, 3},
		{[]PathElem{Key("Statement"), Index(1), Key("Action"), Index(0)}, `"e:f"`, 4},
		{[]PathElem{Key("Statement"), Index(1), Key("Sid")}, `"x\"y"`, 4},
		{[]PathElem{Key("Statement"), Index(0)}, `{"Action": ["a:b", "c:d"], "Resource": "*"}`, 3},
		{[]PathElem{Key("statement"), Index(0), Key("Resource")}, `"*"`, 3},
	}
	for _, tt := range tests {
		sp, ok := Locate(text, tt.path)
		if !ok {
			t.Errorf("Locate(%v) failed", tt.path)
			continue
		}
		if got := text[sp.Start.Offset:sp.End.Offset]; got != tt.want || sp.Start.Line != tt.line {
			t.Errorf("Locate(%v) = %q at line %d, want %q at line %d", tt.path, got, sp.Start.Line, tt.want, tt.line)
		}
	}
	for _, bad := range [][]PathElem{{Key("Nope")}, {Key("Statement"), Index(2)}, {Key("Statement"), Key("x")}} {
		if _, ok := Locate(text, bad); ok {
			t.Errorf("Locate(%v) succeeded, want not found", bad)
		}
	}
}
