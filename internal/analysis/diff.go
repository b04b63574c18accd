package analysis

import (
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// Changes is the semantic diff of two versions of an identity policy: what
// the newer one grants that the older did not, and what it no longer grants.
type Changes struct {
	// Services lists, per service prefix (sorted), the catalog actions
	// added, removed and changed, and the resource patterns and conditions
	// of the statements that reach the service.
	Services []ServiceChanges `json:"services"`
	// ActionPatternsAdded and ActionPatternsRemoved are the Action and
	// NotAction strings written in one version and not the other (a textual
	// diff: a wildcard may cover an action string that was dropped).
	ActionPatternsAdded   []string `json:"actionPatternsAdded"`
	ActionPatternsRemoved []string `json:"actionPatternsRemoved"`
	// Narrowed is Covers(old, new): Proven when the update removes no
	// access, else a request the old version allows and the new one does not
	// (or Unknown).
	Narrowed Result `json:"narrowed"`
	// Widened is Covers(new, old): Proven when the update grants nothing new.
	Widened Result `json:"widened"`
}

// Equivalent reports whether both versions are proven to allow exactly the
// same requests.
func (c *Changes) Equivalent() bool {
	return c.Narrowed.Verdict == Proven && c.Widened.Verdict == Proven
}

// ServiceChanges is how one service's permissions differ between versions.
type ServiceChanges struct {
	// Prefix is the service prefix ("mq"); Name its name in the catalog.
	Prefix string `json:"prefix"`
	Name   string `json:"name,omitempty"`
	// Added are catalog actions that the new version grants and the old did
	// not; Removed the reverse, each with a request that shows the loss.
	Added   []ActionChange `json:"added,omitempty"`
	Removed []ActionChange `json:"removed,omitempty"`
	// Changed are actions both versions grant, but under statements with
	// different resources or conditions. Request is set when the old version
	// allows a request with that action that the new one does not.
	Changed []ActionChange `json:"changed,omitempty"`
	// Resource patterns and conditions of the Allow statements reaching the
	// service, in one version and not the other.
	ResourcesAdded    []string `json:"resourcesAdded,omitempty"`
	ResourcesRemoved  []string `json:"resourcesRemoved,omitempty"`
	ConditionsAdded   []string `json:"conditionsAdded,omitempty"`
	ConditionsRemoved []string `json:"conditionsRemoved,omitempty"`
}

// ActionChange is one catalog action that a diff lists.
type ActionChange struct {
	Action       string                `json:"action"`
	AccessLevels []catalog.AccessLevel `json:"accessLevels"`
	// Flagged marks an added action of access level Write or Permissions
	// management: an addition that deserves a reviewer's look.
	Flagged bool `json:"flagged,omitempty"`
	// Request, for a removed or changed action, is a request the old
	// version allows and the new one does not, confirmed by eval.
	Request *Request `json:"request,omitempty"`
}

// maxDiffRequests bounds the removed and changed actions given a
// counterexample request (each costs a few evaluations).
const maxDiffRequests = 20000

// Diff compares two versions of an identity policy by meaning. Actions are
// the catalog's (opts.Catalog), expanded from each version's Allow
// statements (Action and NotAction) less those an unconditional Deny on
// every resource takes away; a wildcard's future actions are judged by the
// coverage results Narrowed and Widened, which are sound for every action.
func Diff(oldDoc, newDoc *policy.Document, opts Options) Changes {
	if opts.Catalog == nil {
		opts.Catalog = catalog.Embedded()
	}
	var ch Changes
	if oldDoc == nil || newDoc == nil {
		ch.Narrowed = Result{Reason: "a policy has no document"}
		ch.Widened = ch.Narrowed
		return ch
	}
	ch.Narrowed = Covers(oldDoc, newDoc, opts)
	ch.Widened = Covers(newDoc, oldDoc, opts)
	ch.ActionPatternsAdded, ch.ActionPatternsRemoved = patternDiff(actionStrings(oldDoc), actionStrings(newDoc))
	og, ng := grants(oldDoc, opts.Catalog), grants(newDoc, opts.Catalog)
	d, _ := newDecider(oldDoc, newDoc)
	byPrefix := map[string]*ServiceChanges{}
	svc := func(a *catalog.Action) *ServiceChanges {
		key := strings.ToLower(a.Service)
		s := byPrefix[key]
		if s == nil {
			s = &ServiceChanges{Prefix: key}
			if cs, ok := opts.Catalog.Service(a.Service); ok {
				s.Name = cs.Name
			}
			byPrefix[key] = s
		}
		return s
	}
	budget := maxDiffRequests
	request := func(name string) *Request {
		if d == nil || budget <= 0 {
			return nil
		}
		budget--
		return lossRequest(d, oldDoc, name, (&checker{opts: opts}).singleValued)
	}
	for _, a := range og.order {
		name := a.String()
		if _, ok := ng.scope[name]; !ok {
			s := svc(a)
			s.Removed = append(s.Removed, ActionChange{Action: name, AccessLevels: a.AccessLevels, Request: request(name)})
		} else if og.scope[name] != ng.scope[name] {
			s := svc(a)
			s.Changed = append(s.Changed, ActionChange{Action: name, AccessLevels: a.AccessLevels, Request: request(name)})
		}
	}
	for _, a := range ng.order {
		if _, ok := og.scope[a.String()]; !ok {
			flag := a.Is(catalog.Write) || a.Is(catalog.PermissionsManagement)
			s := svc(a)
			s.Added = append(s.Added, ActionChange{Action: a.String(), AccessLevels: a.AccessLevels, Flagged: flag})
		}
	}
	addScopeChanges(byPrefix, oldDoc, newDoc)
	for _, s := range byPrefix {
		ch.Services = append(ch.Services, *s)
	}
	slices.SortFunc(ch.Services, func(x, y ServiceChanges) int { return strings.Compare(x.Prefix, y.Prefix) })
	return ch
}

// grantSet is the catalog actions a version grants, in catalog order, each
// with its scope: the resources and conditions of the statements granting it.
type grantSet struct {
	order []*catalog.Action
	scope map[string]string
}

// grants expands d's Allow statements against cat, less the actions that an
// unconditional Deny of every resource takes away.
func grants(d *policy.Document, cat *catalog.Catalog) grantSet {
	g := grantSet{scope: map[string]string{}}
	denied := map[string]bool{}
	for i := range d.Statements {
		s := &d.Statements[i]
		if s.Effect != policy.Deny || len(s.Conditions) > 0 || s.Principal != nil || s.NotPrincipal != nil || !allResources(s) {
			continue
		}
		for _, a := range expandStatement(s, cat) {
			denied[a.String()] = true
		}
	}
	for i := range d.Statements {
		s := &d.Statements[i]
		if !allows(s) {
			continue
		}
		key := scopeKey(s)
		for _, a := range expandStatement(s, cat) {
			name := a.String()
			if denied[name] {
				continue
			}
			prev, ok := g.scope[name]
			if !ok {
				g.order = append(g.order, a)
			}
			g.scope[name] = addScope(prev, key)
		}
	}
	slices.SortStableFunc(g.order, func(x, y *catalog.Action) int {
		return strings.Compare(strings.ToLower(x.String()), strings.ToLower(y.String()))
	})
	return g
}

// addScope adds key to the sorted, "\n"-separated set of scope keys set.
func addScope(set, key string) string {
	if set == "" {
		return key
	}
	keys := strings.Split(set, "\n")
	i, found := slices.BinarySearch(keys, key)
	if found {
		return set
	}
	return strings.Join(slices.Insert(keys, i, key), "\n")
}

// allResources reports whether s applies to every resource.
func allResources(s *policy.Statement) bool {
	return s.NotResource == nil && slices.ContainsFunc(resources(s), func(r string) bool {
		return r != "" && strings.Trim(r, "*") == ""
	})
}

// expandStatement returns the catalog actions s's Action or NotAction covers.
func expandStatement(s *policy.Statement, cat *catalog.Catalog) []*catalog.Action {
	if s.NotAction != nil {
		return cat.ExpandNot(s.NotAction...)
	}
	return cat.Expand(s.Action...)
}

// scopeKey renders what, besides its actions, limits statement s: its
// resources and conditions, in a canonical order.
func scopeKey(s *policy.Statement) string {
	var sb strings.Builder
	sb.WriteString("[")
	if s.NotResource != nil {
		sb.WriteString("!")
		sb.WriteString(strings.Join(sorted(s.NotResource), ","))
	} else {
		sb.WriteString(strings.Join(sorted(resources(s)), ","))
	}
	for _, c := range sortedConditions(s) {
		sb.WriteString(";")
		sb.WriteString(c)
	}
	sb.WriteString("]")
	return sb.String()
}

// conditionText renders one condition as "Operator key [values]".
func conditionText(c *policy.Condition) string {
	vals := make([]string, len(c.Values))
	for i, v := range c.Values {
		vals[i] = v.Text
	}
	return c.Operator.Name + " " + c.Key + " [" + strings.Join(vals, ", ") + "]"
}

func sortedConditions(s *policy.Statement) []string {
	out := make([]string, len(s.Conditions))
	for i := range s.Conditions {
		out[i] = conditionText(&s.Conditions[i])
	}
	slices.Sort(out)
	return out
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// actionStrings returns the Action and NotAction strings of d's Allow
// statements, NotAction ones prefixed with "!".
func actionStrings(d *policy.Document) []string {
	var out []string
	for i := range d.Statements {
		s := &d.Statements[i]
		if !allows(s) {
			continue
		}
		out = append(out, s.Action...)
		for _, a := range s.NotAction {
			out = append(out, "!"+a)
		}
	}
	return out
}

// patternDiff returns the strings of y not in x and of x not in y, sorted
// and once each.
func patternDiff(x, y []string) (added, removed []string) {
	inX, inY := setOf(x), setOf(y)
	for s := range inY {
		if !inX[s] {
			added = append(added, s)
		}
	}
	for s := range inX {
		if !inY[s] {
			removed = append(removed, s)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// lossRequest returns a request with action name that the old version (A of
// d) allows and the new one does not, drawn from the old version's Allow
// statements that grant the action, or nil.
func lossRequest(d *decider, oldDoc *policy.Document, name string, single func(string) bool) *Request {
	for i := range oldDoc.Statements {
		s := &oldDoc.Statements[i]
		if !allows(s) || !statementMatches(s, name) {
			continue
		}
		ctxs := contextCandidates(s.Conditions, single)
		for _, res := range requestResources(oldDoc, s) {
			for _, kv := range ctxs {
				r := &Request{Action: name, Resource: res, Context: kv}
				if d.isCounterexample(r) {
					return r
				}
			}
		}
	}
	return nil
}

// statementMatches reports whether s's Action or NotAction covers action.
func statementMatches(s *policy.Statement, action string) bool {
	if s.NotAction != nil {
		return !anyMatch(s.NotAction, action)
	}
	return anyMatch(s.Action, action)
}

// requestResources returns resources for requests drawn from s: an instance
// of each Resource pattern (policy variables rendered for the analysed
// principal), or, for NotResource, one none of its patterns matches.
func requestResources(d *policy.Document, s *policy.Statement) []string {
	if s.NotResource != nil {
		w, ok := escape(s.NotResource, false)
		if !ok {
			return nil
		}
		return []string{w}
	}
	var out []string
	for _, r := range resources(s) {
		if hasVar(d, r) {
			r = renderVars(r)
		}
		out = append(out, instance(r))
	}
	return out
}

// addScopeChanges fills each listed service's resource patterns and
// conditions added and removed, from the Allow statements reaching it.
func addScopeChanges(byPrefix map[string]*ServiceChanges, oldDoc, newDoc *policy.Document) {
	for prefix, s := range byPrefix {
		or, oc := reach(oldDoc, prefix)
		nr, nc := reach(newDoc, prefix)
		s.ResourcesAdded, s.ResourcesRemoved = patternDiff(or, nr)
		s.ConditionsAdded, s.ConditionsRemoved = patternDiff(oc, nc)
	}
}

// reach returns the resource patterns (NotResource ones prefixed "!") and
// conditions of d's Allow statements that can reach service prefix.
func reach(d *policy.Document, prefix string) (res, conds []string) {
	for i := range d.Statements {
		s := &d.Statements[i]
		if !allows(s) || !reachesService(s, prefix) {
			continue
		}
		if s.NotResource != nil {
			for _, r := range s.NotResource {
				res = append(res, "!"+r)
			}
		} else {
			res = append(res, resources(s)...)
		}
		conds = append(conds, sortedConditions(s)...)
	}
	return res, conds
}

// reachesService reports whether an action pattern of s can name an action
// of service prefix (NotAction reaches every service).
func reachesService(s *policy.Statement, prefix string) bool {
	if s.NotAction != nil {
		return true
	}
	for _, p := range s.Action {
		svc, _, _ := strings.Cut(p, ":")
		if catalog.MatchAction(svc, prefix) {
			return true
		}
	}
	return false
}
