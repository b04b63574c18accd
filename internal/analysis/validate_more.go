package analysis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/policy"
)

// More best-practice checks of ValidatePolicy, named as in AWS's check
// reference: a condition object with no operator, a wildcard given to an
// operator that does not read wildcards, and a statement repeated.
const (
	codeEmptyObjectCondition IssueCode = "EMPTY_OBJECT_CONDITION"
	codeWildcardWithoutLike  IssueCode = "WILDCARD_WITHOUT_LIKE_OPERATOR"
	codeRedundantStatement   IssueCode = "REDUNDANT_STATEMENT"
)

// moreRules runs this file's checks on every statement.
func (v *validation) moreRules() {
	d := v.doc
	seen := make(map[string]int, len(d.Statements))
	for i := range d.Statements {
		st := &d.Statements[i]
		at := []PathElem{Key("Statement"), Index(st.Index)}
		if len(st.Conditions) == 0 {
			cp := findingPath(at, Key("Condition"))
			if sp, ok := Locate(v.text, cp); ok && strings.Join(strings.Fields(v.text[sp.Start.Offset:sp.End.Offset]), "") == "{}" {
				v.add(FindingSuggestion, codeEmptyObjectCondition, "The Condition element is an empty object: add conditions or remove it.", st.Pos, cp...)
			}
		}
		for _, c := range st.Conditions {
			v.wildcardWithoutLike(st, at, c)
		}
		k := grantKey(st)
		if j, ok := seen[k]; ok {
			v.add(FindingSuggestion, codeRedundantStatement, "The statement repeats Statement["+strconv.Itoa(j)+"]: remove one of them.", st.Pos, at...)
		} else {
			seen[k] = st.Index
		}
	}
}

// wildcardWithoutLike reports a String equality operator given a value
// with * or ?, which it compares as plain text.
func (v *validation) wildcardWithoutLike(st *policy.Statement, at []PathElem, c policy.Condition) {
	switch c.Operator.Comparison {
	// ArnEquals reads wildcards like ArnLike (IAM User Guide, "ARN condition
	// operators"), so only the String family is concerned.
	case policy.StringEquals, policy.StringNotEquals, policy.StringEqualsIgnoreCase, policy.StringNotEqualsIgnoreCase:
	default:
		return
	}
	for j, val := range c.Values {
		if strings.ContainsAny(val.Text, "*?") && !strings.Contains(val.Text, "${*}") && !strings.Contains(val.Text, "${?}") {
			like := strings.Replace(strings.Replace(string(c.Operator.Comparison), "Equals", "Like", 1), "IgnoreCase", "", 1)
			v.add(FindingWarning, codeWildcardWithoutLike, "The "+c.Operator.Name+" operator reads "+val.Text+
				" as plain text, wildcards included: to match a pattern use "+like+".", c.Pos,
				findingPath(at, Key("Condition"), Key(c.Operator.Name), Key(c.Key), Index(j))...)
			return
		}
	}
}

// grantKey is what a statement grants, as text: statements with the
// same key grant alike (Sid and positions aside).
func grantKey(a *policy.Statement) string {
	x := *a
	x.Sid, x.Index, x.Pos = "", 0, policy.Position{}
	x.Conditions = make([]policy.Condition, len(a.Conditions))
	for i, c := range a.Conditions {
		c.Pos = policy.Position{}
		x.Conditions[i] = c
	}
	return fmt.Sprintf("%#v", x)
}
