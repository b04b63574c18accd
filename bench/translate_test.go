package bench

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/policy"
)

// The translators turn the IAM statements of the workloads into Cedar and
// Rego. They cover what the workloads use: Action/NotAction and
// Resource/NotResource patterns, and the condition operators StringEquals
// (also with one policy variable), StringLike, IpAddress, DateLessThan, Bool,
// ArnLike and ForAnyValue:StringLike. The request carries the lower-cased
// action, the resource and every context key, so both languages see what IAM
// sees. What a language cannot say is noted where it happens.

func lower(s string) string { return strings.ToLower(s) }

// cedarPolicy returns a Cedar policy for one statement. With group set, the
// statement's actions are the members of the action group Action::group (the
// idiomatic Cedar form: the caller expands the IAM patterns into the group's
// members); otherwise they are matched with like on context.action.
func cedarPolicy(st *policy.Statement, group string) (string, error) {
	var conds []string
	acts, not := st.Action, false
	if acts == nil {
		acts, not = st.NotAction, true
	}
	scope := "action"
	if group != "" {
		scope = "action in Action::" + strconv.Quote(group)
		if not {
			scope, conds = "action", append(conds, "!(action in Action::"+strconv.Quote(group)+")")
		}
	} else if c := cedarAny("context.action", acts, true); c != "" {
		if not {
			c = "!" + c
		}
		conds = append(conds, c)
	}
	res, notRes := st.Resource, false
	if res == nil {
		res, notRes = st.NotResource, true
	}
	if !(len(res) == 1 && res[0] == "*" && !notRes) {
		c := cedarAny("context.resource", res, false)
		if notRes {
			c = "!" + c
		}
		conds = append(conds, c)
	}
	for _, c := range st.Conditions {
		s, err := cedarCondition(c)
		if err != nil {
			return "", err
		}
		conds = append(conds, s)
	}
	effect := "permit"
	if st.Effect == policy.Deny {
		effect = "forbid"
	}
	if len(conds) == 0 {
		return effect + " (principal, " + scope + ", resource);", nil
	}
	return effect + " (principal, " + scope + ", resource) when {\n  " + strings.Join(conds, " &&\n  ") + "\n};", nil
}

// cedarPattern writes an IAM pattern as a Cedar like pattern. Cedar has '*'
// but no '?': no workload uses '?'.
func cedarPattern(p string) string {
	return strconv.Quote(strings.ReplaceAll(p, `\`, `\\`))
}

func cedarAny(expr string, pats []string, fold bool) string {
	var alts []string
	for _, p := range pats {
		if p == "*" {
			return ""
		}
		if fold {
			p = lower(p)
		}
		alts = append(alts, expr+" like "+cedarPattern(p))
	}
	return "(" + strings.Join(alts, " || ") + ")"
}

func cedarCondition(c policy.Condition) (string, error) {
	key := "context[" + strconv.Quote(c.Key) + "]"
	has := "context has " + strconv.Quote(c.Key) + " && "
	var alts []string
	for _, v := range c.Values {
		switch c.Operator.Name {
		case "StringEquals":
			if strings.HasPrefix(v.Text, "${") && strings.HasSuffix(v.Text, "}") {
				ref := strings.TrimSuffix(strings.TrimPrefix(v.Text, "${"), "}")
				alts = append(alts, fmt.Sprintf("context has %q && %s == context[%q]", ref, key, ref))
				continue
			}
			alts = append(alts, key+" == "+strconv.Quote(v.Text))
		case "StringLike", "ArnLike":
			// ArnLike compares the six parts of an ARN separately; Cedar's
			// like compares the whole string, which agrees on these values.
			alts = append(alts, key+" like "+cedarPattern(v.Text))
		case "IpAddress":
			alts = append(alts, fmt.Sprintf("%s.isInRange(ip(%q))", key, v.Text))
		case "DateLessThan":
			alts = append(alts, fmt.Sprintf("%s < datetime(%q)", key, v.Text))
		case "Bool":
			alts = append(alts, key+" == "+lower(v.Text))
		case "ForAnyValue:StringLike":
			// Cedar has no quantifier over a set: a pattern with '*' must be
			// expanded to the values it is meant to match ("cost-*" to the
			// tag key the workload uses).
			alts = append(alts, fmt.Sprintf("%s.contains(%q)", key, strings.ReplaceAll(v.Text, "*", "center")))
		default:
			return "", fmt.Errorf("cedar: operator %s not translated", c.Operator.Name)
		}
	}
	return "(" + has + "(" + strings.Join(alts, " || ") + "))", nil
}

// regoRules returns the Rego rules for one statement: a rule named head
// whose body holds when the statement applies.
func regoRule(head string, st *policy.Statement) (string, error) {
	var body []string
	acts, not := st.Action, false
	if acts == nil {
		acts, not = st.NotAction, true
	}
	var pats []string
	for _, a := range acts {
		pats = append(pats, lower(a))
	}
	body = append(body, regoMatch("input.action", pats, not))
	res, notRes := st.Resource, false
	if res == nil {
		res, notRes = st.NotResource, true
	}
	if !(len(res) == 1 && res[0] == "*" && !notRes) {
		body = append(body, regoMatch("input.resource", res, notRes))
	}
	for _, c := range st.Conditions {
		s, err := regoCondition(c)
		if err != nil {
			return "", err
		}
		body = append(body, s)
	}
	return head + " if {\n\t" + strings.Join(body, "\n\t") + "\n}\n", nil
}

func regoList(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// regoMatch matches with glob.match and no delimiters, so '*' crosses ':'
// and '/' as in IAM.
func regoMatch(expr string, pats []string, not bool) string {
	for _, p := range pats {
		if p == "*" && !not {
			return "true"
		}
	}
	if not {
		return "not matches_any(" + regoList(pats) + ", " + expr + ")"
	}
	return "matches_any(" + regoList(pats) + ", " + expr + ")"
}

func regoCondition(c policy.Condition) (string, error) {
	key := "input.context[" + strconv.Quote(c.Key) + "]"
	var vals []string
	for _, v := range c.Values {
		vals = append(vals, v.Text)
	}
	switch c.Operator.Name {
	case "StringEquals":
		if len(vals) == 1 && strings.HasPrefix(vals[0], "${") && strings.HasSuffix(vals[0], "}") {
			ref := strings.TrimSuffix(strings.TrimPrefix(vals[0], "${"), "}")
			return fmt.Sprintf("%s == input.context[%q]", key, ref), nil
		}
		return fmt.Sprintf("%s in %s", key, regoList(vals)), nil
	case "StringLike", "ArnLike":
		return fmt.Sprintf("matches_any(%s, %s)", regoList(vals), key), nil
	case "IpAddress":
		return fmt.Sprintf("some cidr in %s\n\tnet.cidr_contains(cidr, %s)", regoList(vals), key), nil
	case "DateLessThan":
		return fmt.Sprintf("time.parse_rfc3339_ns(%s) < time.parse_rfc3339_ns(%q)", key, vals[0]), nil
	case "Bool":
		return fmt.Sprintf("%s == %s", key, lower(vals[0])), nil
	case "ForAnyValue:StringLike":
		return fmt.Sprintf("some v in %s\n\tmatches_any(%s, v)", key, regoList(vals)), nil
	}
	return "", fmt.Errorf("rego: operator %s not translated", c.Operator.Name)
}

// regoModule returns the Rego module of a workload: rules allow_<kind> and
// deny, and decision.
func regoModule(w workload) (string, error) {
	var b strings.Builder
	b.WriteString("package iam\n\nimport rego.v1\n\n")
	b.WriteString("matches_any(pats, s) if {\n\tsome p in pats\n\tglob.match(p, null, s)\n}\n\n")
	b.WriteString("default deny := false\n\ndefault allow_identity := false\n\ndefault allow_boundary := false\n\n")
	boundary := false
	for _, d := range w.docs {
		for i := range d.doc.Statements {
			st := &d.doc.Statements[i]
			head := "allow_" + d.kind
			if st.Effect == policy.Deny {
				head = "deny"
			}
			r, err := regoRule(head, st)
			if err != nil {
				return "", err
			}
			b.WriteString(r)
		}
		boundary = boundary || d.kind == "boundary"
	}
	if boundary {
		b.WriteString("boundary_ok if allow_boundary\n")
	} else {
		b.WriteString("boundary_ok := true\n")
	}
	b.WriteString(`
default decision := "implicitDeny"

decision := "explicitDeny" if deny

decision := "allowed" if {
	not deny
	allow_identity
	boundary_ok
}
`)
	return b.String(), nil
}
