package managed

import (
	"strings"

	"github.com/iamq/iamq/internal/catalog"
)

// Clause is one part of a job-function rule: the catalog actions of the
// given services (any service when Services is empty) at one of Levels
// whose name begins with one of Prefixes (any name when empty).
type Clause struct {
	Services []string
	Levels   []catalog.AccessLevel
	Prefixes []string
}

// Rule declares which catalog actions a job-function policy is meant to
// grant: the actions some clause matches and no Exclude pattern does.
// When a service launches operations, the policy's next version adds the
// new actions the rule matches (CatalogApply), never rewrites the policy
// from the rule.
type Rule struct {
	Policy  string // the policy's name
	Clauses []Clause
	// Exclude are action patterns (as in a policy's Action) never added:
	// reads of data rather than of metadata.
	Exclude []string
	// Why says what the rule is after and how it was tuned.
	Why string
}

// Matches reports whether the rule grants a.
func (r *Rule) Matches(a *catalog.Action) bool {
	name := a.String()
	for _, x := range r.Exclude {
		if catalog.MatchAction(x, name) {
			return false
		}
	}
	for i := range r.Clauses {
		if r.Clauses[i].matches(a) {
			return true
		}
	}
	return false
}

func (c *Clause) matches(a *catalog.Action) bool {
	if len(c.Services) > 0 && !containsFold(c.Services, a.Service) {
		return false
	}
	level := len(c.Levels) == 0
	for _, l := range c.Levels {
		level = level || a.Is(l)
	}
	if !level {
		return false
	}
	if len(c.Prefixes) == 0 {
		return true
	}
	for _, p := range c.Prefixes {
		if strings.HasPrefix(a.Name, p) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// dataReads are reads of data, not metadata, that a view-only rule must
// never add even when their access level and name look like metadata:
// secret values, object and log contents, query results, exports.
var dataReads = []string{"*:*Secret*", "*:*Object*", "*:*LogEvents*", "*:*QueryResults*", "*:*Export*",
	"*:*Download*", "*:*Content*", "*:*Password*", "*:*Credential*", "*:*Decrypt*", "*:*Parameter*"}

// JobFunctionRules returns the declared rules of the /job-function/
// policies iamq grows when a service launches operations. How close each
// comes to AWS's current version is in docs/job-function-rules.md.
func JobFunctionRules() []Rule {
	return []Rule{
		{
			Policy: "ViewOnlyAccess",
			Clauses: []Clause{
				{Levels: []catalog.AccessLevel{catalog.List}, Prefixes: []string{"List", "Describe", "Get"}},
				{Levels: []catalog.AccessLevel{catalog.Read}, Prefixes: []string{"Describe", "List"}},
			},
			Exclude: dataReads,
			Why: "AWS: \"view resources and basic metadata across all AWS services\". List-level List*, Describe* " +
				"and Get* and Read-level Describe* and List* are metadata; Read-level Get* is left out (AWS grants " +
				"only 91 of them: most are reads of data), and names that read secrets, objects, logs or query " +
				"results are excluded whatever their level.",
		},
		{
			Policy: "DatabaseAdministrator",
			Clauses: []Clause{
				{Services: []string{"dynamodb", "elasticache", "rds", "redshift", "pi"},
					Levels: []catalog.AccessLevel{catalog.List, catalog.Read, catalog.Write, catalog.Tagging}},
				{Services: []string{"cloudwatch", "sns", "datapipeline"},
					Levels: []catalog.AccessLevel{catalog.List, catalog.Read}},
			},
			Why: "AWS grants the database services (DynamoDB, ElastiCache, RDS, Redshift, Performance Insights) " +
				"whole, and reads of the monitoring services around them. New operations of those services " +
				"are added at every level but Permissions management (a new permissions operation deserves " +
				"a person's decision); the monitoring services add List and Read only.",
		},
	}
}

// JobFunctionRule returns the rule of the job-function policy named name.
func JobFunctionRule(name string) (Rule, bool) {
	for _, r := range JobFunctionRules() {
		if r.Policy == name {
			return r, true
		}
	}
	return Rule{}, false
}

// RuleReport is how close a rule comes to a version of its policy, action
// by action (actions expanded against one catalog).
type RuleReport struct {
	Policy, Version string
	// Both are granted by the rule and the policy; RuleOnly the rule would
	// grant and the policy does not; PolicyOnly the reverse.
	Both, RuleOnly, PolicyOnly []string
	// Services are the services the policy reaches; InServices counts the
	// rule's actions there (RuleOnly restricted to those services).
	Services         int
	RuleOnlyServices []string
}

// Report compares the rule with a document of its policy.
func (r *Rule) Report(cat *catalog.Catalog, version, document string) (RuleReport, error) {
	granted, err := GrantedActions(cat, document)
	if err != nil {
		return RuleReport{}, err
	}
	aws := make(map[string]bool, len(granted))
	reached := map[string]bool{}
	for _, a := range granted {
		aws[a] = true
		reached[strings.ToLower(a[:strings.IndexByte(a, ':')])] = true
	}
	out := RuleReport{Policy: r.Policy, Version: version, Services: len(reached)}
	matched := map[string]bool{}
	for _, s := range cat.Services() {
		for i := range s.Actions() {
			a := &s.Actions()[i]
			if !r.Matches(a) {
				continue
			}
			name := a.String()
			matched[name] = true
			switch {
			case aws[name]:
				out.Both = append(out.Both, name)
			default:
				out.RuleOnly = append(out.RuleOnly, name)
				if reached[strings.ToLower(a.Service)] {
					out.RuleOnlyServices = append(out.RuleOnlyServices, name)
				}
			}
		}
	}
	for _, a := range granted {
		if !matched[a] {
			out.PolicyOnly = append(out.PolicyOnly, a)
		}
	}
	return out, nil
}
