package analysis

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iamq/iamq/policy"
)

// historyVersions reads a testdata file of one managed policy's versions.
func historyVersions(tb testing.TB, file string) map[string]*policy.Document {
	raw, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	var vs []struct {
		Version  string          `json:"version"`
		Document json.RawMessage `json:"document"`
	}
	if err := json.Unmarshal(raw, &vs); err != nil {
		tb.Fatal(err)
	}
	out := map[string]*policy.Document{}
	for _, v := range vs {
		d, err := policy.Parse(string(v.Document))
		if err != nil {
			tb.Fatalf("%s %s: %v", file, v.Version, err)
		}
		out[v.Version] = d
	}
	return out
}

func parseDoc(tb testing.TB, text string) *policy.Document {
	tb.Helper()
	d, err := policy.Parse(text)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", text, err)
	}
	return d
}

// TestCheckNoNewAccessHistories: steps of real AWS managed policies. Every
// Amazon MQ update only added access, so checking the old version against
// the new one as the existing policy PASSes (the update took nothing away:
// the managed-policy promise), while the other way round FAILs and names the
// added access. ReadOnlyAccess v69 was another policy published by mistake:
// it FAILs both ways, naming the new access.
func TestCheckNoNewAccessHistories(t *testing.T) {
	steps := 0
	files, _ := filepath.Glob("testdata/amazonmq/*.json")
	for _, f := range files {
		vs := historyVersions(t, f)
		for n := 2; vs["v"+strconv.Itoa(n)] != nil; n++ {
			steps++
			old, cur := vs["v"+strconv.Itoa(n-1)], vs["v"+strconv.Itoa(n)]
			name := strings.TrimSuffix(filepath.Base(f), ".json") + " v" + strconv.Itoa(n-1) + "-v" + strconv.Itoa(n)
			if got := CheckNoNewAccess(cur, old, IdentityPolicy, Options{}); got.Result != Pass {
				t.Errorf("CheckNoNewAccess(existing new, updated old: %s) = %s %+v, want PASS", name, got.Result, got.Reasons)
			}
			got := CheckNoNewAccess(old, cur, IdentityPolicy, Options{})
			if got.Result != Fail || len(got.Reasons) == 0 || !strings.Contains(got.Reasons[0].Description, "New access: ") {
				t.Errorf("CheckNoNewAccess(existing old, updated new: %s) = %s %+v, want FAIL naming the added access", name, got.Result, got.Reasons)
			}
		}
	}
	if steps != 6 {
		t.Errorf("%d Amazon MQ steps, want 6", steps)
	}
	ro := historyVersions(t, "testdata/readonlyaccess/ReadOnlyAccess.json")
	for _, tt := range []struct{ existing, updated string }{{"v68", "v69"}, {"v69", "v68"}, {"v69", "v70"}} {
		got := CheckNoNewAccess(ro[tt.existing], ro[tt.updated], IdentityPolicy, Options{})
		if got.Result != Fail || len(got.Reasons) == 0 {
			t.Errorf("CheckNoNewAccess(ReadOnlyAccess existing %s, updated %s) = %s %+v, want FAIL with reasons", tt.existing, tt.updated, got.Result, got.Reasons)
			continue
		}
		t.Logf("ReadOnlyAccess existing %s, updated %s: %d reasons, first %+v", tt.existing, tt.updated, len(got.Reasons), got.Reasons[0])
	}
}

// customCase is one case of testdata/custom/cases.json.
type customCase struct {
	Name         string          `json:"name"`
	PolicyType   PolicyType      `json:"policyType"`
	ResourceType string          `json:"resourceType"`
	Existing     json.RawMessage `json:"existing"`
	New          json.RawMessage `json:"new"`
	Policy       json.RawMessage `json:"policy"`
	Access       []struct {
		Actions   []string `json:"actions"`
		Resources []string `json:"resources"`
	} `json:"access"`
	Want   CheckResult `json:"want"`
	Reason string      `json:"reason"` // a reason's description contains it
	Index  *int        `json:"index"`  // the first reason's statement
	Sid    string      `json:"sid"`
}

func loadCustomCases(tb testing.TB) map[string][]customCase {
	raw, err := os.ReadFile("testdata/custom/cases.json")
	if err != nil {
		tb.Fatal(err)
	}
	var cases map[string][]customCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// TestCustomChecks runs the corpus of the three custom checks.
func TestCustomChecks(t *testing.T) {
	cases := loadCustomCases(t)
	run := map[string]func(c customCase) Outcome{
		"checkNoNewAccess": func(c customCase) Outcome {
			return CheckNoNewAccess(parseDoc(t, string(c.Existing)), parseDoc(t, string(c.New)), c.PolicyType, Options{})
		},
		"checkAccessNotGranted": func(c customCase) Outcome {
			var access []Access
			for _, a := range c.Access {
				access = append(access, Access{Actions: a.Actions, Resources: a.Resources})
			}
			return CheckAccessNotGranted(parseDoc(t, string(c.Policy)), c.PolicyType, access)
		},
		"checkNoPublicAccess": func(c customCase) Outcome {
			return CheckNoPublicAccess(parseDoc(t, string(c.Policy)), c.ResourceType)
		},
	}
	for check, list := range cases {
		if run[check] == nil || len(list) == 0 {
			t.Fatalf("unknown or empty check %q in the corpus", check)
		}
		for _, c := range list {
			t.Run(check+"/"+c.Name, func(t *testing.T) {
				got := run[check](c)
				if got.Result != c.Want || got.Message == "" {
					t.Fatalf("%s(%s) = %s %q %+v, want %s", check, c.Name, got.Result, got.Message, got.Reasons, c.Want)
				}
				if c.Want == Pass {
					if len(got.Reasons) != 0 {
						t.Errorf("%s(%s) = PASS with reasons %+v", check, c.Name, got.Reasons)
					}
					return
				}
				if len(got.Reasons) == 0 {
					t.Fatalf("%s(%s) = FAIL without reasons", check, c.Name)
				}
				r := got.Reasons[0]
				if c.Index != nil && r.Index != *c.Index || r.Sid != c.Sid || !strings.Contains(r.Description, c.Reason) {
					t.Errorf("%s(%s) reason = %+v, want statement %v %q containing %q", check, c.Name, r, c.Index, c.Sid, c.Reason)
				}
			})
		}
	}
}

// TestCheckBounds: a document past the pattern bounds is not analyzed: the
// checks answer FAIL saying so, and Complexity names the pattern.
func TestCheckBounds(t *testing.T) {
	wild := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:a*a*a*a*a*a*a*a*a*","Resource":"*"}]}`)
	plain := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	if err := Complexity(plain); err != nil {
		t.Errorf("Complexity(plain) = %v, want nil", err)
	}
	if err := Complexity(plain, wild); !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "9 wildcards") {
		t.Errorf("Complexity(wild) = %v, want ErrTooComplex naming 9 wildcards", err)
	}
	for name, got := range map[string]Outcome{
		"CheckNoNewAccess":      CheckNoNewAccess(plain, wild, IdentityPolicy, Options{}),
		"CheckAccessNotGranted": CheckAccessNotGranted(wild, IdentityPolicy, []Access{{Actions: []string{"s3:GetObject"}}}),
	} {
		if got.Result != Fail || len(got.Reasons) != 1 || !strings.Contains(got.Reasons[0].Description, "too complex") {
			t.Errorf("%s(too complex) = %+v, want FAIL saying so", name, got)
		}
	}
}
