package iamapi

import (
	"os"
	"strings"
	"testing"

	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestOperationsDocNamesEvery: docs/iam-operations.md has a row for every
// operation of IAM's and STS's models, so that each answer is named.
func TestOperationsDocNamesEvery(t *testing.T) {
	b, err := os.ReadFile("../../../docs/iam-operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, name := range modelOperations {
		if !strings.Contains(doc, "| IAM "+name+" | ") {
			t.Errorf("docs/iam-operations.md has no row for IAM %s", name)
		}
	}
	for _, name := range sdkOperations(&awssts.Client{}) {
		if !strings.Contains(doc, "| STS "+name+" | ") {
			t.Errorf("docs/iam-operations.md has no row for STS %s", name)
		}
	}
}
