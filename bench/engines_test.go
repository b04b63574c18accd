package bench

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/iamq/iamq/eval"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// runner is one engine loaded with one workload's policies.
type runner interface {
	// prepare turns a request into the engine's own input, outside timing.
	prepare(tb testing.TB, r request) any
	// decide returns "allowed", "explicitDeny" or "implicitDeny".
	decide(in any) string
}

type engine struct {
	name string
	load func(tb testing.TB, w workload) runner
}

var engines = []engine{{"iamq", loadIAMQ}, {"cedar", loadCedar}, {"cedar-groups", loadCedarGroups}, {"opa", loadOPA}}

// iamq

type iamqRunner struct{ set *eval.Set }

func loadIAMQ(tb testing.TB, w workload) runner {
	var ps eval.Policies
	for _, d := range w.docs {
		p := eval.Policy{ID: d.id, Document: d.doc}
		if d.kind == "boundary" {
			ps.Boundary = append(ps.Boundary, p)
		} else {
			ps.Identity = append(ps.Identity, p)
		}
	}
	set, err := eval.Compile(ps)
	if err != nil {
		tb.Fatal(err)
	}
	return &iamqRunner{set: set}
}

func (ir *iamqRunner) prepare(tb testing.TB, r request) any {
	ctx := &eval.Context{}
	for _, c := range r.context {
		var vals []eval.Value
		for _, s := range c.values {
			switch c.typ {
			case "ip":
				vals = append(vals, eval.IP(netip.MustParseAddr(s)))
			case "date":
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					tb.Fatal(err)
				}
				vals = append(vals, eval.Time(t))
			case "bool":
				vals = append(vals, eval.Bool(s == "true"))
			default:
				vals = append(vals, eval.String(s))
			}
		}
		ctx.Add(c.key, vals...)
	}
	return &eval.Request{
		Principal: eval.Principal{Kind: eval.PrincipalUser, ARN: "arn:aws:iam::" + account + ":user/alice", Account: account},
		Action:    r.action, Resource: r.resource, Context: ctx,
	}
}

func (ir *iamqRunner) decide(in any) string { return ir.set.Evaluate(in.(*eval.Request)).String() }

// cedar

type cedarRunner struct {
	identity, boundary *cedar.PolicySet
	// With action groups: the action entities and their groups.
	groups   bool
	entities cedar.EntityMap
}

func loadCedar(tb testing.TB, w workload) runner { return loadCedarWith(tb, w, false) }

// loadCedarGroups is the idiomatic Cedar form: every action of the catalog
// (and of the workload) is an Action entity whose parents are the groups of
// the statements whose patterns match it, so a policy's scope is
// "action in Action::group", a lookup in the entity store.
func loadCedarGroups(tb testing.TB, w workload) runner { return loadCedarWith(tb, w, true) }

func loadCedarWith(tb testing.TB, w workload, groups bool) runner {
	cr := &cedarRunner{identity: cedar.NewPolicySet(), groups: groups}
	if groups {
		cr.entities = actionEntities(tb, w)
	}
	for _, d := range w.docs {
		ps := cr.identity
		if d.kind == "boundary" {
			if cr.boundary == nil {
				cr.boundary = cedar.NewPolicySet()
			}
			ps = cr.boundary
		}
		for i := range d.doc.Statements {
			st := &d.doc.Statements[i]
			group := ""
			if groups {
				group = statementGroup(d.id, i)
			}
			text, err := cedarPolicy(st, group)
			if err != nil {
				tb.Fatal(err)
			}
			var p cedar.Policy
			if err := p.UnmarshalCedar([]byte(text)); err != nil {
				tb.Fatalf("%s statement %d: %v\n%s", d.id, i, err, text)
			}
			ps.Add(cedar.PolicyID(fmt.Sprintf("%s-%s-%d", st.Effect, d.id, i)), &p)
		}
	}
	return cr
}

func (cr *cedarRunner) prepare(tb testing.TB, r request) any {
	rec := cedar.RecordMap{"action": cedar.String(lower(r.action)), "resource": cedar.String(r.resource)}
	for _, c := range r.context {
		var vals []cedar.Value
		for _, s := range c.values {
			switch c.typ {
			case "ip":
				a, err := types.ParseIPAddr(s)
				if err != nil {
					tb.Fatal(err)
				}
				vals = append(vals, a)
			case "date":
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					tb.Fatal(err)
				}
				vals = append(vals, cedar.NewDatetime(t))
			case "bool":
				vals = append(vals, cedar.Boolean(s == "true"))
			default:
				vals = append(vals, cedar.String(s))
			}
		}
		if c.typ == "strings" {
			rec[cedar.String(c.key)] = cedar.NewSet(vals...)
		} else {
			rec[cedar.String(c.key)] = vals[0]
		}
	}
	action := cedar.NewEntityUID("Action", "call")
	if cr.groups {
		action = cedar.NewEntityUID("Action", cedar.String(lower(r.action)))
	}
	return cedar.Request{
		Principal: cedar.NewEntityUID("User", "alice"),
		Action:    action,
		Resource:  cedar.NewEntityUID("Resource", "r"),
		Context:   cedar.NewRecord(rec),
	}
}

func cedarDecide(ps *cedar.PolicySet, entities cedar.EntityMap, req cedar.Request) (allow, explicit bool) {
	d, diag := cedar.Authorize(ps, entities, req)
	if d == cedar.Allow {
		return true, false
	}
	return false, len(diag.Reasons) > 0
}

func (cr *cedarRunner) decide(in any) string {
	req := in.(cedar.Request)
	idAllow, idDeny := cedarDecide(cr.identity, cr.entities, req)
	bAllow, bDeny := true, false
	if cr.boundary != nil {
		bAllow, bDeny = cedarDecide(cr.boundary, cr.entities, req)
	}
	switch {
	case idDeny || bDeny:
		return "explicitDeny"
	case idAllow && bAllow:
		return "allowed"
	}
	return "implicitDeny"
}

func statementGroup(policyID string, i int) string { return fmt.Sprintf("%s#%d", policyID, i) }

// actionEntities expands every statement's action patterns against the
// catalog's actions and the workload's own: each action becomes an entity
// whose parents are the groups of the statements it matches.
func actionEntities(tb testing.TB, w workload) cedar.EntityMap {
	actions := map[string]bool{}
	for _, a := range allCatalogActions(tb) {
		actions[lower(a)] = true
	}
	for _, r := range w.requests {
		actions[lower(r.action)] = true
	}
	for _, a := range w.cycle {
		actions[lower(a)] = true
	}
	parents := map[string][]cedar.EntityUID{}
	for _, d := range w.docs {
		for i := range d.doc.Statements {
			st := &d.doc.Statements[i]
			pats := st.Action
			if pats == nil {
				pats = st.NotAction
			}
			group := cedar.NewEntityUID("Action", cedar.String(statementGroup(d.id, i)))
			for a := range actions {
				for _, p := range pats {
					if globMatch(lower(p), a) {
						parents[a] = append(parents[a], group)
						break
					}
				}
			}
		}
	}
	em := cedar.EntityMap{}
	for a := range actions {
		uid := cedar.NewEntityUID("Action", cedar.String(a))
		em[uid] = cedar.Entity{UID: uid, Parents: cedar.NewEntityUIDSet(parents[a]...)}
	}
	return em
}

// globMatch matches an IAM action pattern ('*' and '?') to build the
// groups; it runs once, outside timing.
func globMatch(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(p[1:], s[1:])
	}
	return s != "" && s[0] == p[0] && globMatch(p[1:], s[1:])
}

// OPA

type opaRunner struct{ query rego.PreparedEvalQuery }

func loadOPA(tb testing.TB, w workload) runner {
	mod, err := regoModule(w)
	if err != nil {
		tb.Fatal(err)
	}
	q, err := rego.New(rego.Query("data.iam.decision"), rego.Module("iam.rego", mod)).PrepareForEval(context.Background())
	if err != nil {
		tb.Fatalf("%v\n%s", err, mod)
	}
	return &opaRunner{query: q}
}

func (or *opaRunner) prepare(tb testing.TB, r request) any {
	ctx := map[string]any{}
	for _, c := range r.context {
		switch c.typ {
		case "strings":
			vals := make([]any, len(c.values))
			for i, s := range c.values {
				vals[i] = s
			}
			ctx[c.key] = vals
		case "bool":
			ctx[c.key] = c.values[0] == "true"
		default:
			ctx[c.key] = c.values[0]
		}
	}
	v, err := ast.InterfaceToValue(map[string]any{"action": lower(r.action), "resource": r.resource, "context": ctx})
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (or *opaRunner) decide(in any) string {
	rs, err := or.query.Eval(context.Background(), rego.EvalParsedInput(in.(ast.Value)))
	if err != nil || len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return fmt.Sprintf("error: %v", err)
	}
	s, _ := rs[0].Expressions[0].Value.(string)
	return s
}
