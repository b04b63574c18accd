package mqapi

import (
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/server/servertest"
)

// TestREADMEListsEveryOperation: the README's Operations section names
// every Amazon MQ operation served, and says iamq runs no broker.
func TestREADMEListsEveryOperation(t *testing.T) {
	var names []string
	for _, set := range [][]operation{brokerOps(), userOps(), configOps(), tagOps(), engineOps()} {
		for _, o := range set {
			names = append(names, o.name)
		}
	}
	if len(names) != 24 {
		t.Errorf("Amazon MQ serves %d operations, want the model's 24", len(names))
	}
	servertest.CheckREADMENames(t, names)
	if !strings.Contains(servertest.READMEOperations(t), "control plane only, not message brokers") {
		t.Error("README.md does not say that iamq runs the control plane, not message brokers")
	}
}
