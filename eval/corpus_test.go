package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamq/iamq/policy"
)

// corpusFile is one file of testdata/cases/<topic>/: policies by kind and the
// requests to decide against them.
type corpusFile struct {
	Description string                    `json:"description"`
	Source      string                    `json:"source"`
	Policies    map[string][]corpusPolicy `json:"policies"`
	Cases       []corpusCase              `json:"cases"`
	Defaults    corpusRequest             `json:"defaults"`
}

type corpusPolicy struct {
	ID       string          `json:"id"`
	Version  string          `json:"version"`
	Document json.RawMessage `json:"document"`
}

type corpusCase struct {
	Name    string        `json:"name"`
	Source  string        `json:"source"`
	Request corpusRequest `json:"request"`
	Want    string        `json:"want"`
	// Statements are the deciding statements, as "ID#Sid" or "ID#index".
	Statements []string `json:"statements"`
	Lacking    []string `json:"lacking"`
	Missing    []string `json:"missing"`
}

type corpusRequest struct {
	Principal       *corpusPrincipal `json:"principal"`
	Action          string           `json:"action"`
	Resource        string           `json:"resource"`
	ResourceAccount string           `json:"resourceAccount"`
	Context         []corpusContext  `json:"context"`
}

type corpusPrincipal struct {
	Kind        string            `json:"kind"`
	ARN         string            `json:"arn"`
	IdentityARN string            `json:"identityArn"`
	Account     string            `json:"account"`
	UserID      string            `json:"userId"`
	Tags        map[string]string `json:"tags"`
}

type corpusContext struct {
	Key    string   `json:"key"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// withDefaults fills what a case's request leaves out from the file's
// defaults.
func (r corpusRequest) withDefaults(d corpusRequest) corpusRequest {
	if r.Principal == nil {
		r.Principal = d.Principal
	}
	if r.Action == "" {
		r.Action = d.Action
	}
	if r.Resource == "" {
		r.Resource = d.Resource
	}
	if r.ResourceAccount == "" {
		r.ResourceAccount = d.ResourceAccount
	}
	if r.Context == nil {
		r.Context = d.Context
	}
	return r
}

func (r corpusRequest) request() (*Request, error) {
	req := &Request{Action: r.Action, Resource: r.Resource, ResourceAccount: r.ResourceAccount, Context: &Context{}}
	if p := r.Principal; p != nil {
		k, ok := ParsePrincipalKind(p.Kind)
		if !ok {
			return nil, fmt.Errorf("unknown principal kind %q", p.Kind)
		}
		req.Principal = Principal{Kind: k, ARN: p.ARN, IdentityARN: p.IdentityARN, Account: p.Account, UserID: p.UserID}
		keys := make([]string, 0, len(p.Tags))
		for k := range p.Tags {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			req.Principal.Tags = append(req.Principal.Tags, Tag{Key: k, Value: p.Tags[k]})
		}
	}
	for _, c := range r.Context {
		vals := make([]Value, 0, len(c.Values))
		for _, s := range c.Values {
			v, err := ParseValue(c.Type, s)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		req.Context.Add(c.Key, vals...)
	}
	return req, nil
}

var corpusKinds = map[string]func(*Policies) *[]Policy{
	"identity": func(p *Policies) *[]Policy { return &p.Identity },
	"resource": func(p *Policies) *[]Policy { return &p.Resource },
	"boundary": func(p *Policies) *[]Policy { return &p.Boundary },
	"session":  func(p *Policies) *[]Policy { return &p.Session },
	"scp":      func(p *Policies) *[]Policy { return &p.SCP },
}

func (f *corpusFile) policies() (Policies, error) {
	var ps Policies
	kinds := make([]string, 0, len(f.Policies))
	for k := range f.Policies {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		field, ok := corpusKinds[k]
		if !ok {
			return ps, fmt.Errorf("unknown policy kind %q", k)
		}
		for _, cp := range f.Policies[k] {
			doc, err := policy.Parse(string(cp.Document))
			if err != nil {
				return ps, fmt.Errorf("policy %s: %w", cp.ID, err)
			}
			*field(&ps) = append(*field(&ps), Policy{ID: cp.ID, Version: cp.Version, Document: doc})
		}
	}
	return ps, nil
}

// loadCorpus reads every case file under testdata/cases.
func loadCorpus(t testing.TB) map[string]*corpusFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "cases", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	files := map[string]*corpusFile{}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f corpusFile
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", "cases"), path)
		files[strings.TrimSuffix(filepath.ToSlash(rel), ".json")] = &f
	}
	return files
}

func statementName(m Match) string {
	if m.Sid != "" {
		return m.PolicyID + "#" + m.Sid
	}
	return fmt.Sprintf("%s#%d", m.PolicyID, m.Index)
}

// TestCorpus decides every case of the corpus with Evaluate, Explain and the
// reference interpreter, and checks the decision and its explanation.
func TestCorpus(t *testing.T) {
	files := loadCorpus(t)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		f := files[name]
		t.Run(name, func(t *testing.T) {
			ps, err := f.policies()
			if err != nil {
				t.Fatal(err)
			}
			set, err := Compile(ps)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range f.Cases {
				t.Run(c.Name, func(t *testing.T) { checkCase(t, set, ps, c, c.Request.withDefaults(f.Defaults)) })
			}
		})
	}
}

func checkCase(t *testing.T, set *Set, ps Policies, c corpusCase, cr corpusRequest) {
	req, err := cr.request()
	if err != nil {
		t.Fatal(err)
	}
	want, ok := ParseDecision(c.Want)
	if !ok {
		t.Fatalf("unknown decision %q", c.Want)
	}
	if got := set.Evaluate(req); got != want {
		t.Errorf("Evaluate(%s %s) = %v, want %v", req.Action, req.Resource, got, want)
	}
	if got := referenceDecide(ps, req); got != want {
		t.Errorf("reference(%s %s) = %v, want %v", req.Action, req.Resource, got, want)
	}
	e := set.Explain(req)
	if e.Decision != want {
		t.Errorf("Explain(%s %s).Decision = %v, want %v", req.Action, req.Resource, e.Decision, want)
	}
	checkReason(t, set, req, e)
	if c.Statements != nil {
		var got []string
		for _, m := range e.Statements {
			got = append(got, statementName(m))
		}
		if !slices.Equal(got, c.Statements) {
			t.Errorf("Explain(%s %s).Statements = %q, want %q", req.Action, req.Resource, got, c.Statements)
		}
	}
	if c.Lacking != nil {
		got := []string{}
		for _, k := range e.Lacking {
			got = append(got, string(k))
		}
		if !slices.Equal(got, c.Lacking) {
			t.Errorf("Explain(%s %s).Lacking = %q, want %q", req.Action, req.Resource, got, c.Lacking)
		}
	}
	if c.Missing != nil && !slices.Equal(e.MissingContextKeys, c.Missing) && !(len(c.Missing) == 0 && len(e.MissingContextKeys) == 0) {
		t.Errorf("Explain(%s %s).MissingContextKeys = %q, want %q", req.Action, req.Resource, e.MissingContextKeys, c.Missing)
	}
}

// checkReason holds EvaluateReason to Explain: the same decision, twice
// (the second time from the action cache), and for an allowed request one
// statement per kind that allowed, each among Explain's statements.
func checkReason(t *testing.T, set *Set, req *Request, e *Explanation) {
	t.Helper()
	for range 2 {
		var why Reason
		if got := set.EvaluateReason(req, &why); got != e.Decision {
			t.Errorf("EvaluateReason(%s %s) = %v, want %v", req.Action, req.Resource, got, e.Decision)
		}
		got := why.Statements(nil)
		if len(got) != why.Len() {
			t.Errorf("EvaluateReason(%s %s): Len() = %d, Statements %d", req.Action, req.Resource, why.Len(), len(got))
		}
		var kinds []policy.Kind
		for _, k := range e.Kinds {
			if k.Allowed && e.Decision == Allowed {
				kinds = append(kinds, k.Kind)
			}
		}
		var gotKinds []policy.Kind
		for _, m := range got {
			gotKinds = append(gotKinds, m.Kind)
			if !slices.Contains(e.Statements, m) {
				t.Errorf("EvaluateReason(%s %s) names %s, not among Explain's statements", req.Action, req.Resource, statementName(m))
			}
		}
		if !slices.Equal(gotKinds, kinds) {
			t.Errorf("EvaluateReason(%s %s) names statements of kinds %q, want %q", req.Action, req.Resource, gotKinds, kinds)
		}
	}
}
