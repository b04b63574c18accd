package analysis

import (
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// The best-practice checks of ValidatePolicy that neither package policy
// nor the catalog's lint makes. Each is named and typed as in AWS's check
// reference.
const (
	codeMissingVersion        IssueCode = "MISSING_VERSION"
	codeEmptySid              IssueCode = "EMPTY_SID_VALUE"
	codeEmptyArrayAction      IssueCode = "EMPTY_ARRAY_ACTION"
	codeEmptyArrayResource    IssueCode = "EMPTY_ARRAY_RESOURCE"
	codeEmptyArrayCondition   IssueCode = "EMPTY_ARRAY_CONDITION"
	codeRedundantAction       IssueCode = "REDUNDANT_ACTION"
	codeRedundantResource     IssueCode = "REDUNDANT_RESOURCE"
	maxRedundancyPatternsStmt           = 256 // beyond this, a statement's redundancy is not searched
)

// rules runs the checks of this file over v.doc.
func (v *validation) rules(cat *catalog.Catalog) {
	d := v.doc
	if d.Version == policy.VersionAbsent {
		v.add(FindingWarning, codeMissingVersion,
			`Add a Version element with the value "2012-10-17": without it, policy variables are read as plain text.`,
			policy.Position{Offset: 0, Line: 1, Column: 1})
	}
	for i := range d.Statements {
		st := &d.Statements[i]
		at := []PathElem{Key("Statement"), Index(st.Index)}
		v.emptyElements(st, at)
		v.redundant(st, at)
		if st.Effect == policy.Allow {
			v.sensitive(st, at, "iam:PassRole", "PASS_ROLE",
				"lets the caller pass any role to a service, which then acts with that role's permissions; name the roles' ARNs", FindingSecurityWarning)
			v.sensitive(st, at, "iam:CreateServiceLinkedRole", "CREATE_SLR",
				"lets the caller create the service-linked role of any service; name the roles' ARNs", FindingWarning)
		}
	}
}

func findingPath(at []PathElem, more ...PathElem) []PathElem {
	return append(append([]PathElem(nil), at...), more...)
}

// emptyElements reports an empty Sid, and Action, Resource and condition
// values given as empty lists.
func (v *validation) emptyElements(st *policy.Statement, at []PathElem) {
	if st.Sid == "" {
		if sp, ok := Locate(v.text, findingPath(at, Key("Sid"))); ok && sp.End.Offset-sp.Start.Offset == 2 {
			v.add(FindingSuggestion, codeEmptySid, "Add a value to the empty string in the Sid element, or remove it.", st.Pos, findingPath(at, Key("Sid"))...)
		}
	}
	if st.Action != nil && len(st.Action) == 0 {
		v.add(FindingSuggestion, codeEmptyArrayAction, "The statement has an empty Action list: add actions or remove the statement.", st.Pos, findingPath(at, Key("Action"))...)
	}
	if st.Resource != nil && len(st.Resource) == 0 {
		v.add(FindingSuggestion, codeEmptyArrayResource, "The statement has an empty Resource list: add resources or remove the statement.", st.Pos, findingPath(at, Key("Resource"))...)
	}
	for _, c := range st.Conditions {
		if len(c.Values) == 0 {
			v.add(FindingSuggestion, codeEmptyArrayCondition, "The condition key "+c.Key+" has an empty list of values, so the condition never matches: add values or remove it.",
				c.Pos, findingPath(at, Key("Condition"), Key(c.Operator.Name), Key(c.Key))...)
		}
	}
}

// redundant reports actions and resources of a statement that another of
// its patterns already includes (REDUNDANT_ACTION, REDUNDANT_RESOURCE).
func (v *validation) redundant(st *policy.Statement, at []PathElem) {
	for _, e := range []struct {
		key  string
		list []string
		fold bool
		code IssueCode
	}{{"Action", st.Action, true, codeRedundantAction}, {"NotAction", st.NotAction, true, codeRedundantAction},
		{"Resource", st.Resource, false, codeRedundantResource}, {"NotResource", st.NotResource, false, codeRedundantResource}} {
		if len(e.list) < 2 || len(e.list) > maxRedundancyPatternsStmt {
			continue
		}
		for i, j := range v.redundantIn(e.list, e.fold) {
			if j >= 0 {
				v.add(FindingSuggestion, e.code, "The "+e.key+" "+e.list[i]+" is redundant: "+e.list[j]+" in the same statement already includes it.",
					st.Pos, findingPath(at, Key(e.key), Index(i))...)
			}
		}
	}
}

// redundantIn returns, for each pattern of list, the index of another that
// includes it (the first of equal patterns includes the later ones), or -1.
// Only patterns with wildcards can include others, and there are few.
func (v *validation) redundantIn(list []string, fold bool) []int {
	out := make([]int, len(list))
	for i := range out {
		out[i] = -1
	}
	seen := make(map[string]int, len(list))
	var wild []int
	for j, q := range list {
		if w := wildcards(q); w > 0 && w <= maxPatternWildcards && len(q) <= maxPatternBytes && !strings.Contains(q, "${") {
			wild = append(wild, j)
		}
	}
	langs := make(map[int]*lang, len(wild))
	for i, p := range list {
		k := p
		if fold {
			k = strings.ToLower(p)
		}
		if j, ok := seen[k]; ok {
			out[i] = j
			continue
		}
		seen[k] = i
		if strings.Contains(p, "${") || wildcards(p) > maxPatternWildcards || len(p) > maxPatternBytes {
			continue
		}
		for _, j := range wild {
			if j == i || equalPattern(p, list[j], fold) {
				continue
			}
			if v.inclusions++; v.inclusions > maxInclusionChecks {
				return out
			}
			if ok, quick := quickIncludes(list[j], p, fold); quick {
				if ok {
					out[i] = j
					break
				}
				continue
			}
			if v.automata++; v.automata > maxAutomataChecks {
				continue
			}
			if langs[j] == nil {
				langs[j] = newLang([]string{list[j]}, fold)
			}
			if ok, _, decided := included(newLang([]string{p}, fold), langs[j], "x"); ok && decided {
				out[i] = j
				break
			}
		}
	}
	return out
}

// quickIncludes decides whether glob q includes pattern p without automata
// in the common cases: p without wildcards (does q match it?), and q a
// prefix followed by one "*" (does p's text before its first wildcard start
// with that prefix?). quick is false when it cannot tell.
func quickIncludes(q, p string, fold bool) (ok, quick bool) {
	if fold {
		q, p = strings.ToLower(q), strings.ToLower(p)
	}
	if !strings.ContainsAny(p, "*?") {
		return globMatch(q, p), true
	}
	head := p[:strings.IndexAny(p, "*?")]
	if prefix, ok := strings.CutSuffix(q, "*"); ok && !strings.ContainsAny(prefix, "*?") {
		return strings.HasPrefix(head, prefix), true
	}
	// Every string of p starts with p's text before its first wildcard and
	// ends with its text after the last, then anything: q's must be within.
	qHead := q[:strings.IndexAny(q, "*?")]
	tail, qTail := p[strings.LastIndexAny(p, "*?")+1:], q[strings.LastIndexAny(q, "*?")+1:]
	if !strings.HasPrefix(head, qHead) || !strings.HasSuffix(tail, qTail) {
		return false, true
	}
	return false, false
}

// globMatch reports whether s matches pattern q: '*' any run of bytes, '?'
// any one byte, as eval matches actions and resources.
func globMatch(q, s string) bool {
	qi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case qi < len(q) && (q[qi] == '?' || q[qi] == s[si]):
			qi++
			si++
		case qi < len(q) && q[qi] == '*':
			star, mark = qi, si
			qi++
		case star >= 0:
			qi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for qi < len(q) && q[qi] == '*' {
		qi++
	}
	return qi == len(q)
}

func equalPattern(p, q string, fold bool) bool {
	if fold {
		return strings.EqualFold(p, q)
	}
	return p == q
}

// how says how a statement's Action element reaches a sensitive action:
// by name, through a wildcard, or through NotAction.
type how uint8

const (
	byName how = iota + 1
	byWildcard
	byNotAction
)

// sensitiveForms names, after PASS_ROLE_WITH_ or CREATE_SLR_WITH_, each way
// a statement reaches a sensitive action on every resource: by how, and
// with "Resource": "*" (false) or NotResource (true).
var sensitiveForms = map[how][2]string{
	byName:      {"STAR_IN_RESOURCE", "NOT_RESOURCE"},
	byWildcard:  {"STAR_IN_ACTION_AND_RESOURCE", "STAR_IN_ACTION_AND_NOT_RESOURCE"},
	byNotAction: {"NOT_ACTION_AND_STAR_IN_RESOURCE", "NOT_ACTION_AND_NOT_RESOURCE"},
}

// sensitiveCode returns the issue code AWS gives a sensitive action (the
// prefix: PASS_ROLE, CREATE_SLR) reached by h on every resource.
func sensitiveCode(prefix string, h how, notRes bool) IssueCode {
	form := sensitiveForms[h][0]
	if notRes {
		form = sensitiveForms[h][1]
	}
	return IssueCode(prefix + "_WITH_" + form)
}

// sensitive reports an Allow statement that grants action on every resource
// ("Resource": "*" or NotResource), under the code that says how its Action
// element reaches the action.
func (v *validation) sensitive(st *policy.Statement, at []PathElem, action, prefix, why string, t FindingType) {
	h := statementGrants(st, action)
	if h == 0 {
		return
	}
	reach := map[how]string{byName: "Using " + action, byWildcard: "Using a wildcard action that includes " + action,
		byNotAction: "Using NotAction, which includes " + action + ","}[h]
	if st.NotResource != nil {
		v.add(t, sensitiveCode(prefix, h, true), reach+" with NotResource "+why+".", st.Pos, findingPath(at, Key("NotResource"))...)
		return
	}
	for j, r := range resources(st) {
		if strings.Trim(r, "*") != "" {
			continue
		}
		rp := findingPath(at, Key("Resource"), Index(j))
		if st.Resource == nil {
			rp = at
		}
		v.add(t, sensitiveCode(prefix, h, false), reach+` with "Resource": "*" `+why+".", st.Pos, rp...)
		return
	}
}

// statementGrants says how the statement's actions include action, or 0 when they
// do not.
func statementGrants(st *policy.Statement, action string) how {
	if st.NotAction != nil {
		for _, p := range st.NotAction {
			if catalog.MatchAction(p, action) {
				return 0
			}
		}
		return byNotAction
	}
	var h how
	for _, p := range st.Action {
		if strings.EqualFold(p, action) {
			return byName
		} else if catalog.MatchAction(p, action) {
			h = byWildcard
		}
	}
	return h
}
