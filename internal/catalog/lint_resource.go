package catalog

import (
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/policy"
)

// resources checks the Resource element against the statement's actions:
// an ARN no action can be scoped to, and "*" where the actions could be
// scoped.
func (l *linter) resources() {
	for j, r := range l.st.Resource {
		path := l.path + ".Resource[" + strconv.Itoa(j) + "]"
		switch {
		case r == "*":
			l.resourceStar(path)
		case !isARN(r):
			// Not an ARN: policy.Validate reports it.
		default:
			if !l.anyActionTakes(r) {
				l.add(SeverityError, CodeUnsupportedResourceARN, path, l.st.Pos,
					"The resource %s fits none of the resource types of the statement's actions (%s).",
					r, describeActions(l.actions))
			}
		}
	}
}

// isARN reports whether r has the six segments of an ARN, wildcards and
// policy variables left as text.
func isARN(r string) bool {
	_, ok := arn.Split(r)
	return ok
}

// anyActionTakes reports whether some action of the statement can be
// scoped to the ARN pattern r. An action without resource types is only
// ever authorized on "*", so an ARN never applies to it.
func (l *linter) anyActionTakes(r string) bool {
	pat := parseARNPattern(r)
	for _, a := range l.actions {
		for _, rt := range a.ResourceTypes {
			if rt.Type.format.overlaps(pat) {
				return true
			}
		}
	}
	return false
}

// resourceStar reports "*" in an Allow statement: iam:PassRole on every role
// is a security warning (any role can be handed to a service); other
// actions that take ARNs get a suggestion to name them.
func (l *linter) resourceStar(path string) {
	if l.st.Effect != policy.Allow {
		return
	}
	scoped := 0
	for _, a := range l.actions {
		if a.Service == "iam" && a.Name == "PassRole" {
			l.add(SeveritySecurityWarning, CodePassRoleWithStar, path, l.st.Pos,
				`iam:PassRole with "Resource": "*" lets the caller pass any role to a service; name the roles' ARNs.`)
		}
		if a.SupportsResourceLevel() {
			scoped++
		}
	}
	if scoped > 0 {
		l.add(SeveritySuggestion, CodeResourceStar, path, l.st.Pos,
			`%d of the statement's %d actions support resource-level permissions; "Resource": "*" grants them on every resource.`,
			scoped, len(l.actions))
	}
}

// describeActions names up to three actions: "mq:CreateBroker, … (5 actions)".
func describeActions(actions []*Action) string {
	var names []string
	for i, a := range actions {
		if i == 3 {
			names = append(names, "…")
			break
		}
		names = append(names, a.String())
	}
	s := strings.Join(names, ", ")
	if len(actions) > 3 {
		s += " (" + strconv.Itoa(len(actions)) + " actions)"
	}
	return s
}
