package policy

import (
	"encoding/json"
	"os"
	"testing"
)

// awsAnswer is one of IAM's recorded answers in testdata/aws/answers.json.
type awsAnswer struct {
	Name     string `json:"name"`
	About    string `json:"about"`
	API      string `json:"api"`
	Document string `json:"document"`
	Accepted bool   `json:"accepted"`
	Message  string `json:"message"`
	Source   string `json:"source"`
}

// answerKinds maps the API an answer was recorded with to the kind and
// storage of the document it sent.
var answerKinds = map[string]struct {
	kind    Kind
	storage Storage
}{
	"CreatePolicy":           {KindIdentity, StorageManaged},
	"CreatePolicyVersion":    {KindIdentity, StorageManaged},
	"PutUserPolicy":          {KindIdentity, StorageInline},
	"PutGroupPolicy":         {KindIdentity, StorageInline},
	"PutRolePolicy":          {KindIdentity, StorageInline},
	"CreateRole":             {KindTrust, StorageInline},
	"UpdateAssumeRolePolicy": {KindTrust, StorageInline},
}

func loadAnswers(t *testing.T) (answers []awsAnswer, sources map[string]string) {
	t.Helper()
	b, err := os.ReadFile("testdata/aws/answers.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Sources map[string]string `json:"sources"`
		Answers []awsAnswer       `json:"answers"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	return file.Answers, file.Sources
}

// TestAWSAnswers checks that Judge gives AWS's verdict, and for a refusal
// AWS's message, for every answer IAM was recorded giving.
func TestAWSAnswers(t *testing.T) {
	answers, sources := loadAnswers(t)
	if len(answers) < 100 {
		t.Fatalf("%d answers in testdata/aws/answers.json, want the whole corpus", len(answers))
	}
	same := 0
	for _, a := range answers {
		t.Run(a.Name, func(t *testing.T) {
			k, ok := answerKinds[a.API]
			if !ok {
				t.Fatalf("answer %s: unknown API %q", a.Name, a.API)
			}
			if _, ok := sources[a.Source]; !ok {
				t.Errorf("answer %s cites %q, which is not in sources", a.Name, a.Source)
			}
			f, refused := Judge(a.Document, k.kind, k.storage)
			switch {
			case a.Accepted && refused:
				t.Errorf("Judge(%s) refuses: %s (%s), want accepted (%s)", a.Name, f.Message, f.Detail, a.About)
			case !a.Accepted && !refused:
				t.Errorf("Judge(%s) accepts, want %q (%s)", a.Name, a.Message, a.About)
			case refused && f.Message != a.Message:
				t.Errorf("Judge(%s) = %q (%s), want %q (%s)", a.Name, f.Message, f.Detail, a.Message, a.About)
			default:
				same++
			}
		})
	}
	t.Logf("iamq gives AWS's answer to %d of %d recorded documents", same, len(answers))
}
