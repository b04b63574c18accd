package analysis

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/iamq/iamq/policy"
)

// Call is one observed call for [Generate]: the action it was authorized
// for ("iam:CreateUser") and the resource ("*" or an ARN).
type Call struct {
	Action   string
	Resource string
}

// GenerateOptions configure [Generate]. The zero value is the default.
type GenerateOptions struct {
	// Collapse is how many distinct resources one action may name before
	// they are collapsed into one pattern; 0 means DefaultCollapse.
	Collapse int
}

// DefaultCollapse is GenerateOptions.Collapse's default.
const DefaultCollapse = 3

// MaxCalls bounds the distinct (action, resource) pairs Generate takes.
const MaxCalls = 5000

// Generated is a least-privilege policy written from observed calls, and
// the proof that it allows every one of them.
type Generated struct {
	Text     string // the policy, indented JSON
	Document *policy.Document
	// Proof is Covers(observed, Document): Proven when the policy allows
	// every observed call, whatever the context.
	Proof Result
	Calls int // the distinct (action, resource) pairs observed
}

// Generate writes an identity policy that allows exactly the observed
// calls' actions, grouped per service, with resources as specific as the
// calls named them; an action that named more than Collapse resources gets
// one pattern (their common prefix up to a "/" or ":", then "*"; "*" when
// they share no account). It then proves with [Covers] that the policy
// allows every observed call (the policy of one statement per call is
// covered by it), as IAM Access Analyzer's policy generation aims to (IAM
// User Guide, "IAM Access Analyzer policy generation").
func Generate(calls []Call, o GenerateOptions) (*Generated, error) {
	if o.Collapse <= 0 {
		o.Collapse = DefaultCollapse
	}
	byAction := map[string]map[string]bool{} // action (as first seen) → resources
	keys := map[string]string{}              // lower-case action → as first seen
	n := 0
	for _, c := range calls {
		act, res := strings.TrimSpace(c.Action), c.Resource
		if res == "" {
			res = "*"
		}
		if !strings.Contains(act, ":") {
			return nil, fmt.Errorf("analysis: generate: %q is not an action (service:Name)", act)
		}
		k, ok := keys[strings.ToLower(act)]
		if !ok {
			k, keys[strings.ToLower(act)] = act, act
			byAction[k] = map[string]bool{}
		}
		if !byAction[k][res] {
			if n++; n > MaxCalls {
				return nil, fmt.Errorf("analysis: generate: more than %d distinct calls", MaxCalls)
			}
			byAction[k][res] = true
		}
	}
	if len(byAction) == 0 {
		return nil, fmt.Errorf("analysis: generate: no calls to write a policy for")
	}
	text, err := render(statements(byAction, o.Collapse))
	if err != nil {
		return nil, err
	}
	doc, err := policy.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("analysis: generate: the generated policy does not parse: %w", err)
	}
	observed, err := observedPolicy(byAction)
	if err != nil {
		return nil, err
	}
	return &Generated{Text: text, Document: doc, Proof: Covers(observed, doc, Options{}), Calls: n}, nil
}

// genStatement is one statement of the generated policy.
type genStatement struct {
	Sid      string
	Effect   string
	Action   []string
	Resource []string
}

// statements groups the actions of each service that act on the same
// resources into one statement, services in order.
func statements(byAction map[string]map[string]bool, collapse int) []genStatement {
	type group struct {
		service   string
		resources []string
		actions   []string
	}
	groups := map[string]*group{}
	for act, rs := range byAction {
		res := resourcesOf(rs, collapse)
		service := strings.ToLower(act[:strings.IndexByte(act, ':')])
		key := service + "\x00" + strings.Join(res, "\x00")
		g := groups[key]
		if g == nil {
			g = &group{service: service, resources: res}
			groups[key] = g
		}
		g.actions = append(g.actions, act)
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		sort.Strings(g.actions)
		list = append(list, g)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].service != list[j].service {
			return list[i].service < list[j].service
		}
		return list[i].actions[0] < list[j].actions[0]
	})
	out := make([]genStatement, 0, len(list))
	count := map[string]int{}
	for _, g := range list {
		count[g.service]++
		out = append(out, genStatement{Sid: sid(g.service, count[g.service]), Effect: "Allow", Action: g.actions, Resource: g.resources})
	}
	return out
}

// sid names a statement: the service's letters and digits, capitalized,
// and its number ("Iam1", "AccessAnalyzer2").
func sid(service string, n int) string {
	var b strings.Builder
	up := true
	for _, r := range service {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		up = false
	}
	return fmt.Sprintf("%s%d", b.String(), n)
}

// resourcesOf is the sorted resources of one action, collapsed to one
// pattern past the limit; "*" alone when any call named "*".
func resourcesOf(rs map[string]bool, collapse int) []string {
	if rs["*"] {
		return []string{"*"}
	}
	list := make([]string, 0, len(rs))
	for r := range rs {
		list = append(list, r)
	}
	sort.Strings(list)
	if len(list) <= collapse {
		return list
	}
	return []string{pattern(list)}
}

// pattern is one pattern that matches every ARN of the sorted list: their
// common prefix cut back to its last "/" or ":", then "*"; "*" when the
// prefix does not reach the account (the sixth segment).
func pattern(sorted []string) string {
	first, last := sorted[0], sorted[len(sorted)-1]
	n := 0
	for n < len(first) && n < len(last) && first[n] == last[n] {
		n++
	}
	prefix := first[:n]
	cut := strings.LastIndexAny(prefix, "/:")
	if cut < 0 || strings.Count(prefix[:cut+1], ":") < 5 {
		return "*"
	}
	return prefix[:cut+1] + "*"
}

// observedPolicy is the policy of the calls themselves, one statement per
// action with its exact resources: what the generated policy must cover.
func observedPolicy(byAction map[string]map[string]bool) (*policy.Document, error) {
	var sts []genStatement
	for act, rs := range byAction {
		res := make([]string, 0, len(rs))
		for r := range rs {
			res = append(res, r)
		}
		sort.Strings(res)
		sts = append(sts, genStatement{Effect: "Allow", Action: []string{act}, Resource: res})
	}
	text, err := render(sts)
	if err != nil {
		return nil, err
	}
	return policy.Parse(text)
}

// render writes the statements as a policy document.
func render(sts []genStatement) (string, error) {
	type stmt struct {
		Sid      string `json:",omitempty"`
		Effect   string
		Action   []string
		Resource []string
	}
	doc := struct {
		Version   string
		Statement []stmt
	}{Version: string(policy.Version20121017)}
	for _, s := range sts {
		doc.Statement = append(doc.Statement, stmt(s))
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	return string(b), err
}
