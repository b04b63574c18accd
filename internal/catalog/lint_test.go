package catalog

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamq/iamq/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/lint")

// TestLintGolden lints every policy in testdata/lint and compares the
// findings, one a line, with the .golden file beside it.
func TestLintGolden(t *testing.T) {
	c := Embedded()
	files, err := filepath.Glob("testdata/lint/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lint corpus: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := policy.Parse(string(text))
			if err != nil {
				t.Fatalf("policy.Parse(%s) = %v", file, err)
			}
			var b strings.Builder
			for _, f := range c.Lint(doc) {
				b.WriteString(f.String())
				b.WriteString("\n")
			}
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("Lint(%s) =\n%s\nwant (%s)\n%s", file, got, golden, want)
			}
		})
	}
}

// TestLintCodes pins one finding of each code, independent of message text.
func TestLintCodes(t *testing.T) {
	c := Embedded()
	tests := []struct {
		name string
		st   policy.Statement
		want []Code
	}{
		{"unknown service", policy.Statement{Effect: policy.Allow, Action: []string{"mqq:CreateBroker"}, Resource: []string{"*"}},
			[]Code{CodeInvalidService}},
		{"unknown action", policy.Statement{Effect: policy.Allow, Action: []string{"mq:CreateBrokers"}, Resource: []string{"*"}},
			[]Code{CodeInvalidAction}},
		{"wildcard matching nothing", policy.Statement{Effect: policy.Allow, Action: []string{"mq:Zz*"}, Resource: []string{"*"}},
			[]Code{CodeWildcardMatchesNothing}},
		{"pass role on star", policy.Statement{Effect: policy.Allow, Action: []string{"iam:PassRole"}, Resource: []string{"*"}},
			[]Code{CodePassRoleWithStar, CodeResourceStar}},
		{"star on deny", policy.Statement{Effect: policy.Deny, Action: []string{"iam:PassRole"}, Resource: []string{"*"}}, nil},
		{"arn of another type", policy.Statement{Effect: policy.Allow, Action: []string{"mq:DeleteBroker"},
			Resource: []string{"arn:aws:mq:us-east-1:111122223333:configuration:c-1"}}, []Code{CodeUnsupportedResourceARN}},
		{"bad global key", policy.Statement{Effect: policy.Allow, Action: []string{"mq:ListBrokers"}, Resource: []string{"*"},
			Conditions: []policy.Condition{{Operator: policy.Operator{Name: "StringEquals"}, Key: "aws:Nope"}}},
			[]Code{CodeInvalidGlobalConditionKey}},
		{"bad service key", policy.Statement{Effect: policy.Allow, Action: []string{"ec2:RunInstances"}, Resource: []string{"*"},
			Conditions: []policy.Condition{{Operator: policy.Operator{Name: "StringEquals"}, Key: "ec2:Nope"}}},
			[]Code{CodeInvalidServiceConditionKey, CodeResourceStar}},
		{"key of another service", policy.Statement{Effect: policy.Allow, Action: []string{"mq:ListBrokers"}, Resource: []string{"*"},
			Conditions: []policy.Condition{{Operator: policy.Operator{Name: "StringEquals"}, Key: "ec2:InstanceType"}}},
			[]Code{CodeConditionKeyNotSupported}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &policy.Document{Version: policy.Version20121017, Statements: []policy.Statement{tt.st}}
			var got []Code
			for _, f := range c.Lint(doc) {
				got = append(got, f.Code)
				if !strings.HasPrefix(f.Path, "Statement[0].") {
					t.Errorf("finding path %q, want it under Statement[0]", f.Path)
				}
			}
			if strings.Join(codes(got), ",") != strings.Join(codes(tt.want), ",") {
				t.Errorf("Lint() codes = %v, want %v", got, tt.want)
			}
		})
	}
	if got := c.Lint(nil); got != nil {
		t.Errorf("Lint(nil) = %v, want nil", got)
	}
}

func codes(cs []Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
