package mqapi

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEListsEveryOperation: the README's Operations section names
// every Amazon MQ operation served, and says iamq runs no broker.
func TestREADMEListsEveryOperation(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, "## Operations")
	if i < 0 {
		t.Fatal("README.md has no Operations section")
	}
	text = text[i:]
	text = text[:strings.Index(text[3:], "\n## ")+3]
	n := 0
	for _, set := range [][]operation{brokerOps(), userOps(), configOps(), tagOps(), engineOps()} {
		for _, o := range set {
			n++
			if !regexp.MustCompile(`\b` + o.name + `\b`).MatchString(text) {
				t.Errorf("README.md's Operations do not name %s", o.name)
			}
		}
	}
	if n != 24 {
		t.Errorf("Amazon MQ serves %d operations, want the model's 24", n)
	}
	if !strings.Contains(text, "control plane only, not message brokers") {
		t.Error("README.md does not say that iamq runs the control plane, not message brokers")
	}
}
