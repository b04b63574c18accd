package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/policy"
)

// Lint checks a parsed policy against the catalog, as IAM Access Analyzer's
// policy validation does for the checks that need the Service Authorization
// Reference ("IAM policy validation check reference", IAM User Guide). The
// grammar itself is policy.Validate's job: Lint skips what it cannot read
// (an action without a colon, a resource that is not an ARN) rather than
// reporting it twice.

// Severity is a finding's type, named as ValidatePolicy's findingType names
// it.
type Severity string

// The four finding types of Access Analyzer, most severe first.
const (
	SeverityError           Severity = "ERROR"
	SeveritySecurityWarning Severity = "SECURITY_WARNING"
	SeverityWarning         Severity = "WARNING"
	SeveritySuggestion      Severity = "SUGGESTION"
)

// Code is a finding's issue code. Where Access Analyzer has a check of the
// same meaning, the code is its issueCode; the others are iamq's own.
type Code string

// The codes Lint reports.
const (
	// CodeInvalidService: an action's service prefix is not in the catalog.
	CodeInvalidService Code = "INVALID_SERVICE"
	// CodeInvalidAction: the service has no action of that name.
	CodeInvalidAction Code = "INVALID_ACTION"
	// CodeWildcardMatchesNothing: an action pattern with * or ? matches no
	// action (iamq's code).
	CodeWildcardMatchesNothing Code = "WILDCARD_MATCHES_NO_ACTION"
	// CodeInvalidGlobalConditionKey: an aws: key that is not a global key.
	CodeInvalidGlobalConditionKey Code = "INVALID_GLOBAL_CONDITION_KEY"
	// CodeInvalidServiceConditionKey: a service's key that the service does
	// not define.
	CodeInvalidServiceConditionKey Code = "INVALID_SERVICE_CONDITION_KEY"
	// CodeConditionKeyNotSupported: a service key that none of the
	// statement's actions supports, so the condition never matches (iamq's
	// code).
	CodeConditionKeyNotSupported Code = "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS"
	// CodeUnsupportedResourceARN: a resource ARN that fits none of the
	// resource types of the statement's actions.
	CodeUnsupportedResourceARN Code = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"
	// CodePassRoleWithStar: iam:PassRole allowed on every role.
	CodePassRoleWithStar Code = "PASS_ROLE_WITH_STAR_IN_RESOURCE"
	// CodeResourceStar: "Resource": "*" in an Allow statement whose actions
	// support resource-level permissions (iamq's code).
	CodeResourceStar Code = "RESOURCE_STAR_WITH_RESOURCE_LEVEL_ACTIONS"
)

// Finding is one thing Lint found in a policy.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	// Path is the element, as a JSON path: "Statement[0].Action[2]".
	Path string `json:"path"`
	// Pos is where the statement begins in the document's text (for a
	// condition finding, where its key is); zero when the document was not
	// parsed from text.
	Pos     policy.Position `json:"pos"`
	Message string          `json:"message"`
}

// String formats f as "line:col: SEVERITY CODE path: message".
func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s %s %s: %s", f.Pos.Line, f.Pos.Column, f.Severity, f.Code, f.Path, f.Message)
}

// Lint returns the findings for doc, statement by statement, in document
// order. A nil or empty document has none.
func (c *Catalog) Lint(doc *policy.Document) []Finding {
	if doc == nil {
		return nil
	}
	var out []Finding
	for i := range doc.Statements {
		l := linter{c: c, st: &doc.Statements[i]}
		l.path = "Statement[" + strconv.Itoa(l.st.Index) + "]"
		l.lint()
		out = append(out, l.findings...)
	}
	return out
}

// linter checks one statement.
type linter struct {
	c        *Catalog
	st       *policy.Statement
	path     string
	findings []Finding
	// actions are the actions the Action element names, when it names a
	// set Lint can reason about (no "*" and no wildcard in a prefix).
	actions []*Action
	bounded bool
}

func (l *linter) add(sev Severity, code Code, path string, pos policy.Position, format string, args ...any) {
	l.findings = append(l.findings, Finding{Severity: sev, Code: code, Path: path, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) lint() {
	if l.st.Action != nil {
		l.bounded = true
		l.actionList("Action", l.st.Action)
	} else {
		l.actionList("NotAction", l.st.NotAction)
	}
	for k := range l.st.Conditions {
		l.condition(&l.st.Conditions[k])
	}
	if l.st.Resource != nil && l.bounded && len(l.actions) > 0 {
		l.resources()
	}
}

// actionList checks an Action or NotAction element and, for Action, gathers
// the actions it names.
func (l *linter) actionList(key string, list []string) {
	seen := map[*Action]bool{}
	for j, pattern := range list {
		path := l.path + "." + key + "[" + strconv.Itoa(j) + "]"
		prefix, name, ok := strings.Cut(pattern, ":")
		if pattern == "*" || !ok || hasWildcard(prefix) {
			// "*", a grammar error, or a prefix pattern: nothing to name.
			l.bounded = false
			if ok && len(l.c.Expand(pattern)) == 0 {
				l.add(SeverityWarning, CodeWildcardMatchesNothing, path, l.st.Pos,
					"The action pattern %s matches no action of any service.", pattern)
			}
			continue
		}
		s, ok := l.c.Service(prefix)
		if !ok {
			l.add(SeverityError, CodeInvalidService, path, l.st.Pos,
				"The service prefix %s in %s is not a service of the catalog.", prefix, pattern)
			continue
		}
		var matched []*Action
		if hasWildcard(name) {
			matched = s.Expand(name)
			if len(matched) == 0 {
				l.add(SeverityWarning, CodeWildcardMatchesNothing, path, l.st.Pos,
					"The action pattern %s matches no action of %s (%s).", pattern, s.Name, s.Prefix)
			}
		} else if a, ok := s.Action(name); ok {
			matched = []*Action{a}
		} else {
			l.add(SeverityError, CodeInvalidAction, path, l.st.Pos,
				"The action %s does not exist in %s (%s).", pattern, s.Name, s.Prefix)
		}
		for _, a := range matched {
			if !seen[a] {
				seen[a] = true
				l.actions = append(l.actions, a)
			}
		}
	}
}

// condition checks one condition key.
func (l *linter) condition(cond *policy.Condition) {
	path := l.path + ".Condition." + cond.Operator.Name + "." + cond.Key
	prefix, _, ok := strings.Cut(cond.Key, ":")
	if !ok {
		return
	}
	if _, ok := l.c.globals.lookup(cond.Key); ok {
		return
	}
	if strings.EqualFold(prefix, "aws") {
		if !l.anyServiceDefines(cond.Key) {
			l.add(SeverityError, CodeInvalidGlobalConditionKey, path, cond.Pos,
				"The condition key %s is not a global condition key.", cond.Key)
		}
		return
	}
	s, ok := l.c.Service(prefix)
	if !ok {
		// Keys of identity providers (saml:, accounts.google.com:, …) have
		// no service of their own.
		return
	}
	if _, ok := s.ConditionKey(cond.Key); !ok {
		l.add(SeverityError, CodeInvalidServiceConditionKey, path, cond.Pos,
			"The condition key %s is not defined by %s (%s).", cond.Key, s.Name, s.Prefix)
		return
	}
	if !l.bounded || len(l.actions) == 0 {
		return
	}
	for _, a := range l.actions {
		if l.supports(a, cond.Key) {
			return
		}
	}
	l.add(SeverityWarning, CodeConditionKeyNotSupported, path, cond.Pos,
		"None of the statement's %d actions supports the condition key %s, so the condition cannot match.",
		len(l.actions), cond.Key)
}

// anyServiceDefines reports whether a service of the statement's actions
// lists the key (some services name aws: keys the global list lacks).
func (l *linter) anyServiceDefines(key string) bool {
	done := map[string]bool{}
	for _, a := range l.actions {
		if done[a.Service] {
			continue
		}
		done[a.Service] = true
		if s, ok := l.c.Service(a.Service); ok {
			if _, ok := s.ConditionKey(key); ok {
				return true
			}
		}
	}
	return false
}

// supports reports whether action a takes the condition key: listed for the
// action, for one of its resource types in the action's table, or in the
// resource type's own table.
func (l *linter) supports(a *Action, key string) bool {
	if keyIn(a.ConditionKeys, key) {
		return true
	}
	for _, r := range a.ResourceTypes {
		if keyIn(r.ConditionKeys, key) || keyIn(r.Type.ConditionKeys, key) {
			return true
		}
	}
	return false
}

func keyIn(keys []string, key string) bool {
	for _, k := range keys {
		if equalFoldASCII(k, key) || keyTemplateMatch(k, key) {
			return true
		}
	}
	return false
}
