package policy

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/arn"
)

func (v *validator) resources(st *Statement) {
	has := len(st.Resource) > 0 || len(st.NotResource) > 0
	switch {
	case v.rules.resource == prohibited:
		for _, key := range []string{"Resource", "NotResource"} {
			if (key == "Resource" && st.Resource != nil) || (key == "NotResource" && st.NotResource != nil) {
				at, p := v.d.locate(st, key, -1)
				v.add(CodeResourceProhibited, p, at, msgProhibited(key), "a trust policy names no resources: the role is the resource")
			}
		}
		return
	case st.Resource != nil && st.NotResource != nil:
		at, p := v.d.locate(st, "NotResource", -1)
		v.add(CodeResourceAndNot, p, at, MsgSyntax, "the statement has both Resource and NotResource")
	case !has && v.rules.resource == required:
		v.add(CodeNoResource, stmtPath(st), st.Pos, MsgNoResources, "the statement has no Resource or NotResource")
	}
	v.resourceList(st, "Resource", st.Resource)
	v.resourceList(st, "NotResource", st.NotResource)
}

func (v *validator) resourceList(st *Statement, key string, list []string) {
	for i, r := range list {
		if msg, detail := checkResource(r); msg != "" {
			v.badResource = true
			at, p := v.d.locate(st, key, i)
			v.add(CodeResourceARN, p, at, msg, detail)
		}
	}
	// IAM's legacy parser reads the resources of a statement only when no
	// resource so far was malformed.
	for i, r := range list {
		if !v.badResource && legacyResource(r) {
			at, p := v.d.locate(st, key, i)
			v.add(CodeLegacy, p, at, MsgLegacy, fmt.Sprintf("resource %q has an empty service or an empty segment in fewer than six parts", r))
		}
	}
}

func (v *validator) principals(st *Statement) {
	for _, key := range []string{"Principal", "NotPrincipal"} {
		pr := st.Principal
		if key == "NotPrincipal" {
			pr = st.NotPrincipal
		}
		if pr == nil {
			continue
		}
		at, p := v.d.locate(st, key, -1)
		switch {
		case v.rules.principal == prohibited && v.rules.scp:
			v.add(CodePrincipalProhibited, p, at, MsgSCP, "an SCP may not name a "+key)
		case v.rules.principal == prohibited:
			v.add(CodePrincipalProhibited, p, at, MsgPrincipalProhibited, "this kind of policy may not name a "+key)
		case key == "NotPrincipal" && v.rules.trust:
			v.add(CodePrincipalProhibited, p, at, msgProhibited(key), "a trust policy may not use NotPrincipal")
		case key == "NotPrincipal" && st.Effect == Allow:
			// IAM User Guide, "NotPrincipal": it must be used with Deny.
			v.add(CodePrincipal, p, at, MsgSyntax, "NotPrincipal may only be used with \"Effect\": \"Deny\"")
		default:
			v.principalValues(pr, p, at)
		}
	}
	switch {
	case st.Principal != nil && st.NotPrincipal != nil:
		at, p := v.d.locate(st, "NotPrincipal", -1)
		v.add(CodePrincipalAndNot, p, at, MsgSyntax, "the statement has both Principal and NotPrincipal")
	case v.rules.principal == required && st.Principal.empty() && st.NotPrincipal.empty():
		msg := MsgMissingPrincipal
		if v.rules.trust {
			msg = MsgNoPrincipals
		}
		v.add(CodePrincipalRequired, stmtPath(st), st.Pos, msg, "the statement names no principal")
	}
}

// empty reports whether p names no principal at all.
func (p *Principal) empty() bool {
	return p == nil || !p.Wildcard && len(p.AWS) == 0 && len(p.Service) == 0 && len(p.Federated) == 0 && len(p.CanonicalUser) == 0
}

// principalValues checks the values of one Principal element, at path.
func (v *validator) principalValues(pr *Principal, path string, at Position) {
	check := func(typ string, list []string, ok func(string) bool) {
		for i, s := range list {
			if !ok(s) {
				v.add(CodePrincipal, index(join(path, typ), i), at, msgInvalidPrincipal(typ, s),
					fmt.Sprintf("%q is not a valid %s principal", s, typ))
			}
		}
	}
	check("AWS", pr.AWS, awsPrincipal)
	check("Service", pr.Service, hostPrincipal)
	check("Federated", pr.Federated, func(s string) bool { return hostPrincipal(s) || arnPrincipal(s) })
	check("CanonicalUser", pr.CanonicalUser, canonicalUser)
}

// awsPrincipal: "*", an account id, an ARN, or the unique id IAM shows in
// place of a deleted user or role (AIDA…, AROA…).
func awsPrincipal(s string) bool {
	switch {
	case s == "*", arnPrincipal(s):
		return true
	case arn.IsAccountID(s):
		return true
	case len(s) >= 16 && s[0] == 'A' && upperAlnum(s):
		return true
	}
	return false
}

func arnPrincipal(s string) bool {
	_, ok := arn.Split(s)
	return ok
}

// hostPrincipal: a service principal or identity provider named by host,
// such as ec2.amazonaws.com or accounts.google.com.
func hostPrincipal(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isAlnum(c) || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// canonicalUser: an S3 canonical user id, 64 hex digits.
func canonicalUser(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func (v *validator) conditions(st *Statement) {
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if !c.Operator.Comparison.Known() || !knownOperator(c.Operator) {
			// moto: "Syntax errors in policy." for an unknown operator.
			v.add(CodeOperator, conditionPath(st, c, false, -1), c.Pos, MsgSyntax, fmt.Sprintf("unknown condition operator %q", c.Operator.Name))
			continue
		}
		if !strings.Contains(c.Key, ":") {
			// IAM accepts it (LocalStack's recordings of 2026: "a"), but no
			// request context has such a key.
			v.warn(CodeConditionKey, conditionPath(st, c, true, -1), c.Pos, fmt.Sprintf("condition key %q has no vendor prefix, so no request has it", c.Key))
		}
		if len(c.Values) == 0 {
			v.warn(CodeConditionValue, conditionPath(st, c, true, -1), c.Pos, "the condition has no values, so it never matches")
		}
		for j, val := range c.Values {
			if c.Operator.Comparison.Family() == FamilyDate && !legacyDate(val.Text) {
				v.add(CodeLegacy, conditionPath(st, c, true, j), c.Pos, MsgLegacy, fmt.Sprintf("%q is not a date IAM reads", val.Text))
				continue
			}
			if err := checkValue(c.Operator.Comparison.Family(), val); err != nil {
				v.warn(CodeConditionValue, conditionPath(st, c, true, j), c.Pos, err.Error())
			}
		}
	}
}

// stmtPath returns the path of st.
func stmtPath(st *Statement) string { return index("Statement", st.Index) }

// conditionPath returns the path of c's operator, or of its key, or of its
// j-th value.
func conditionPath(st *Statement, c *Condition, key bool, j int) string {
	p := join(join(stmtPath(st), "Condition"), c.Operator.Name)
	if key {
		p = join(p, c.Key)
	}
	if j >= 0 {
		p = index(p, j)
	}
	return p
}

// knownOperator re-parses op's name, for Documents built in code whose
// Operator fields might not agree with it.
func knownOperator(op Operator) bool {
	parsed, ok := ParseOperator(op.Name)
	return ok && parsed == op
}

// checkValue reports a value that its operator's family cannot read. Values
// with policy variables are only known at evaluation time. IAM accepts such
// values (its Access Analyzer reports them), so these are warnings.
func checkValue(f Family, val Value) error {
	if strings.Contains(val.Text, "${") {
		return nil
	}
	var err error
	switch f {
	case FamilyNumeric:
		_, err = ParseNumber(val.Text)
	case FamilyDate:
		_, err = ParseDate(val.Text)
	case FamilyBool, FamilyNull:
		_, err = ParseBool(val.Text)
	case FamilyIP:
		_, err = ParseCIDR(val.Text)
	case FamilyBinary:
		_, err = ParseBinary(val.Text)
	}
	return err
}
