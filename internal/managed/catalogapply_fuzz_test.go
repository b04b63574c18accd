package managed

import (
	"slices"
	"testing"

	"github.com/iamq/iamq/policy"
)

// FuzzAppendStatement: for any document policy.Parse accepts,
// appendStatement's output parses too, keeps every statement it had and
// adds the one granting the actions.
func FuzzAppendStatement(f *testing.F) {
	f.Add(describeOnly)
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"mq:List*","Resource":"*"}}`)
	f.Add(`{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	f.Fuzz(func(t *testing.T, document string) {
		before, err := policy.Parse(document)
		if err != nil {
			return
		}
		out, err := appendStatement(document, "CatalogUpdateabc", []string{"mq:ListBrokerWidgets"})
		if err != nil {
			return // a document policy.Parse reads and encoding/json does not (duplicate keys, …) is refused
		}
		after, err := policy.Parse(out)
		if err != nil {
			t.Fatalf("appendStatement(%q) = %q, which does not parse: %v", document, out, err)
		}
		if len(after.Statements) != len(before.Statements)+1 {
			t.Fatalf("appendStatement: %d statements, want %d", len(after.Statements), len(before.Statements)+1)
		}
		last := after.Statements[len(after.Statements)-1]
		if !slices.Contains(last.Action, "mq:ListBrokerWidgets") {
			t.Fatalf("appendStatement's last statement = %+v", last)
		}
	})
}
