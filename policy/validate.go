package policy

import (
	"fmt"
	"slices"
	"strings"
)

// need says whether a kind of document requires, allows or prohibits an
// element.
type need uint8

const (
	optional need = iota
	required
	prohibited
)

// rules are the per-kind rules of a document.
type rules struct {
	principal need
	resource  need
	// sidAlnum: IAM stores the document and allows only letters and digits
	// in Sids; resource policies of other services allow more (S3 and KMS
	// take spaces).
	sidAlnum bool
	// trust: actions are limited to the STS AssumeRole family.
	trust bool
	scp   bool
}

// rulesOf returns the rules of kind k. An unknown kind is an identity policy.
func rulesOf(k Kind) rules {
	switch k {
	case KindResource:
		return rules{principal: required, resource: required}
	case KindTrust:
		return rules{principal: required, resource: prohibited, sidAlnum: true, trust: true}
	case KindSCP:
		// AWS Organizations User Guide, "SCP syntax": no Principal or
		// NotPrincipal. Whether Resource may be left out is not documented
		// clearly, so it is not required here.
		return rules{principal: prohibited, resource: optional, sidAlnum: true, scp: true}
	}
	return rules{principal: prohibited, resource: required, sidAlnum: true}
}

// Validate returns every finding about d as a document of kind k (in the
// order of the text), or none when IAM would accept it. Findings of
// SeverityWarning do not make IAM refuse the document.
//
// Validate does not check sizes: IAM's limits depend on where a document is
// stored (a managed policy, the inline policies of a user, a trust policy)
// and AWS managed policies are exempt. See SizeFinding, Size and the Max
// constants.
func (d *Document) Validate(k Kind) []Finding {
	v := &validator{d: d, rules: rulesOf(k)}
	v.out = append(v.out, d.notes...)
	if !d.checkedChars {
		if f, ok := characterFinding(d.Text); ok {
			v.out = append(v.out, f)
		}
	}
	v.document()
	slices.SortStableFunc(v.out, func(a, b Finding) int { return a.Pos.Offset - b.Pos.Offset })
	return v.out
}

// HasErrors reports whether any of fs is an error (not a warning).
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SeverityError })
}

type validator struct {
	d     *Document
	rules rules
	out   []Finding
	// badResource: a resource so far had a malformed form, after which
	// IAM's legacy parser no longer reads resources.
	badResource bool
}

func (v *validator) add(code Code, path string, at Position, msg, detail string) {
	v.out = append(v.out, Finding{Code: code, Path: path, Pos: at, Message: msg, Detail: detail})
}

func (v *validator) warn(code Code, path string, at Position, detail string) {
	v.out = append(v.out, Finding{Code: code, Severity: SeverityWarning, Path: path, Pos: at, Detail: detail})
}

func (v *validator) document() {
	d := v.d
	switch d.Version {
	case Version20121017, Version20081017, VersionAbsent:
	default:
		at, path := d.locateIn(d.start(), "", "Version", -1)
		// moto: "Syntax errors in policy." for a Version such as 2012-10-18.
		v.add(CodeVersion, path, at, MsgSyntax, fmt.Sprintf("Version %q is not 2012-10-17 or 2008-10-17", d.Version))
	}
	if len(d.Statements) == 0 {
		at, path := d.locateIn(d.start(), "", "Statement", -1)
		v.add(CodeNoStatement, path, at, MsgSyntax, "the document has no statements")
	}
	sids := make(map[string]int, len(d.Statements))
	for i := range d.Statements {
		st := &d.Statements[i]
		v.statement(st)
		if st.Sid == "" {
			continue
		}
		if first, dup := sids[st.Sid]; dup {
			at, path := d.locate(st, "Sid", -1)
			v.add(CodeDuplicateSid, path, at, MsgDuplicateSid,
				fmt.Sprintf("Sid %q is also the Sid of Statement[%d]", st.Sid, first))
			continue
		}
		sids[st.Sid] = i
	}
}

func (v *validator) statement(st *Statement) {
	if v.rules.sidAlnum && !alnum(st.Sid) {
		at, p := v.d.locate(st, "Sid", -1)
		v.add(CodeSid, p, at, MsgSidChars, fmt.Sprintf("Sid %q has characters other than letters and digits", st.Sid))
	}
	switch st.Effect {
	case Allow, Deny:
	case "":
		v.add(CodeEffect, stmtPath(st), st.Pos, MsgSyntax, "the statement has no Effect")
	default:
		at, p := v.d.locate(st, "Effect", -1)
		if strings.EqualFold(string(st.Effect), string(Allow)) || strings.EqualFold(string(st.Effect), string(Deny)) {
			// IAM's newer parser ignores the case, its legacy parser does not.
			v.add(CodeLegacy, p, at, MsgLegacy, fmt.Sprintf("Effect %q must be written Allow or Deny", st.Effect))
			break
		}
		v.add(CodeEffect, p, at, MsgSyntax, fmt.Sprintf("Effect %q is not Allow or Deny", st.Effect))
	}
	v.actions(st)
	v.resources(st)
	v.principals(st)
	v.conditions(st)
	v.variables(st)
}

// variables warns of policy variables in a document whose version does not
// substitute them: IAM reads them as literal text (IAM User Guide, "IAM
// policy elements: Variables and tags").
func (v *validator) variables(st *Statement) {
	if v.d.Version.Variables() {
		return
	}
	for _, key := range []string{"Resource", "NotResource"} {
		list := st.Resource
		if key == "NotResource" {
			list = st.NotResource
		}
		for i, r := range list {
			if strings.Contains(r, "${") {
				at, p := v.d.locate(st, key, i)
				v.warn(CodeVariables, p, at, fmt.Sprintf("%q has a policy variable, which is plain text unless the Version is 2012-10-17", r))
			}
		}
	}
	for i := range st.Conditions {
		c := &st.Conditions[i]
		for j, val := range c.Values {
			if strings.Contains(val.Text, "${") {
				v.warn(CodeVariables, conditionPath(st, c, true, j), c.Pos,
					fmt.Sprintf("%q has a policy variable, which is plain text unless the Version is 2012-10-17", val.Text))
			}
		}
	}
}

func (v *validator) actions(st *Statement) {
	switch {
	case st.Action != nil && st.NotAction != nil:
		at, p := v.d.locate(st, "NotAction", -1)
		v.add(CodeActionAndNot, p, at, MsgSyntax, "the statement has both Action and NotAction")
	case len(st.Action) == 0 && len(st.NotAction) == 0:
		v.add(CodeNoAction, stmtPath(st), st.Pos, MsgNoActions, "the statement has no Action or NotAction")
	}
	v.actionList(st, "Action", st.Action)
	v.actionList(st, "NotAction", st.NotAction)
	if v.rules.trust && st.NotAction != nil {
		at, p := v.d.locate(st, "NotAction", -1)
		v.add(CodeTrustAction, p, at, MsgTrustActions, "a trust policy may not use NotAction")
	}
}

func (v *validator) actionList(st *Statement, key string, list []string) {
	for i, a := range list {
		code, sev, msg, detail := checkAction(a)
		if code == "" && v.rules.trust && !trustAction(a) {
			code, msg = CodeTrustAction, MsgTrustActions
			detail = fmt.Sprintf("action %q is not sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity or sts:SetContext", a)
		}
		if code == "" && v.rules.scp && midWildcard(a) {
			code, sev = CodeSCP, SeverityWarning
			detail = fmt.Sprintf("in an SCP, a wildcard may only stand alone or end an action: %q", a)
		}
		if code == "" {
			continue
		}
		at, p := v.d.locate(st, key, i)
		v.out = append(v.out, Finding{Code: code, Severity: sev, Path: p, Pos: at, Message: msg, Detail: detail})
	}
}

// checkAction checks one action string: "*" or "vendor:name".
func checkAction(a string) (code Code, sev Severity, msg, detail string) {
	if a == "*" {
		return "", 0, "", ""
	}
	colon := strings.IndexByte(a, ':')
	switch {
	case colon < 0:
		return CodeActionVendor, SeverityError, MsgVendor, fmt.Sprintf("action %q has no vendor prefix", a)
	case strings.IndexByte(a[colon+1:], ':') >= 0:
		return CodeActionColon, SeverityError, MsgOneColon, fmt.Sprintf("action %q has more than one colon", a)
	}
	vendor, name := a[:colon], a[colon+1:]
	switch {
	case !validVendor(vendor):
		return CodeVendor, SeverityError, msgVendorInvalid(vendor), fmt.Sprintf("vendor %q of action %q is not valid", vendor, a)
	case name == "":
		// Unverified: IAM's text for "s3:".
		return CodeActionName, SeverityError, MsgSyntax, fmt.Sprintf("action %q has no name after the vendor", a)
	case !validActionName(name):
		// IAM accepted such names in the past: ViewOnlyAccess v1 has
		// "ec2: DescribeAccountAttributes" and ReadOnlyAccess v62
		// "access-analyzer:ListTagsForResource ". They match no action.
		return CodeActionName, SeverityWarning, "", fmt.Sprintf("action name %q has characters no action name has, so it matches no action", name)
	}
	return "", 0, "", ""
}

// Sets of ASCII bytes as two 64-bit masks (bytes 0–63, 64–127), which test
// a byte in a shift instead of a chain of comparisons: action names are most
// of a large policy's bytes.
const (
	digitBits uint64 = 0x3FF << '0'
	upperBits uint64 = 0x3FFFFFF << ('A' - 64)
	lowerBits uint64 = 0x3FFFFFF << ('a' - 64)

	vendorLo = digitBits | 1<<'-' | 1<<'.'
	vendorHi = upperBits | lowerBits
	nameLo   = vendorLo | 1<<'*' | 1<<'?'
	nameHi   = vendorHi | 1<<('_'-64)
	alnumLo  = digitBits
	alnumHi  = upperBits | lowerBits
)

// inSet reports whether c is in the set (lo, hi).
func inSet(c byte, lo, hi uint64) bool {
	switch {
	case c < 64:
		return lo>>c&1 == 1
	case c < 128:
		return hi>>(c-64)&1 == 1
	}
	return false
}

// allIn reports whether every byte of s is in the set (lo, hi).
func allIn(s string, lo, hi uint64) bool {
	for i := 0; i < len(s); i++ {
		if !inSet(s[i], lo, hi) {
			return false
		}
	}
	return true
}

// validVendor: service prefixes are letters, digits and hyphens
// (access-analyzer, aws-portal, a4b); IAM accepts dots too ("s3.s",
// LocalStack's recordings of 2026).
func validVendor(s string) bool { return s != "" && allIn(s, vendorLo, vendorHi) }

// validActionName: action names are letters and digits, with the wildcards
// * and ?. A few have hyphens, underscores or dots.
func validActionName(s string) bool { return allIn(s, nameLo, nameHi) }

func isAlnum(c byte) bool { return inSet(c, alnumLo, alnumHi) }

func alnum(s string) bool { return allIn(s, alnumLo, alnumHi) }

// midWildcard reports whether a has a wildcard that is not at its end.
func midWildcard(a string) bool {
	i := strings.IndexAny(a, "*?")
	return i >= 0 && i < len(a)-1 && a != "*"
}

// trustActions are the actions a role trust policy may name. IAM User
// Guide, "Passing session tags in AWS STS" (sts:TagSession), "Monitor and
// control actions taken with assumed roles" (sts:SetSourceIdentity), and
// "sts:SetContext" for trusted context propagation.
var trustActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

// trustAction reports whether a names (or, with wildcards, matches) only
// STS AssumeRole-family actions.
func trustAction(a string) bool {
	a = strings.ToLower(a)
	if !strings.HasPrefix(a, "sts:") {
		return false
	}
	for _, t := range trustActions {
		if match(a, t) {
			return true
		}
	}
	return false
}
