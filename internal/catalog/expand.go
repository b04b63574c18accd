package catalog

import "strings"

// Action wildcards follow "IAM JSON policy elements: Action": '*' matches any
// run of characters and '?' any one character, and the comparison ignores
// case, so "MQ:*broker*" matches mq:CreateBroker.

// MatchAction reports whether an action pattern from a policy ("mq:Describe*",
// "*") matches the action name ("mq:DescribeBroker"), as IAM matches them.
func MatchAction(pattern, action string) bool {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok {
		return globFold(pattern, action, "", false)
	}
	return globFold(pattern, prefix, name, true)
}

// globFold matches pattern against the subject a, or "a:b" when joined,
// ignoring ASCII case, without building the joined string. It is the usual
// linear wildcard walk that remembers the last '*' to backtrack to.
func globFold(pattern, a, b string, joined bool) bool {
	if !joined {
		return globFoldString(pattern, a)
	}
	n := len(a)
	if joined {
		n += 1 + len(b)
	}
	at := func(k int) byte {
		switch {
		case k < len(a):
			return a[k]
		case k == len(a):
			return ':'
		}
		return b[k-len(a)-1]
	}
	p, s := 0, 0
	star, mark := -1, 0
	for s < n {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && (pattern[p] == '?' || lowerASCII(pattern[p]) == lowerASCII(at(s))):
			p++
			s++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// globFoldString is globFold for a single subject, the common case.
func globFoldString(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i] || lowerASCII(pattern[p]) == lowerASCII(s[i])):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// hasWildcard reports whether s holds '*' or '?'.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// actionPattern is a policy's action pattern, split for matching.
type actionPattern struct {
	full    string
	service string // before the first ':'; only when colon
	action  string // after it
	colon   bool
}

func splitActionPattern(p string) actionPattern {
	svc, act, ok := strings.Cut(p, ":")
	return actionPattern{full: p, service: svc, action: act, colon: ok}
}

// matchesService reports whether the pattern can match an action of s.
// Neither prefixes nor action names hold ':', so a pattern's first ':' must
// meet the action's: the part before it matches the prefix alone.
func (ap *actionPattern) matchesService(prefix string) bool {
	if !ap.colon {
		return true
	}
	return globFold(ap.service, prefix, "", false)
}

// matches reports whether the pattern matches action a of a service that
// matchesService accepted.
func (ap *actionPattern) matches(a *Action) bool {
	if !ap.colon {
		return globFold(ap.full, a.Service, a.Name, true)
	}
	return globFold(ap.action, a.Name, "", false)
}

// Expand returns the actions of the service whose names the pattern (the part
// after "prefix:", such as "Describe*") matches, in catalog order.
func (s *Service) Expand(pattern string) []*Action {
	var out []*Action
	actions := s.Actions()
	for i := range actions {
		if globFold(pattern, actions[i].Name, "", false) {
			out = append(out, &actions[i])
		}
	}
	return out
}

// Expand returns every action that at least one of the patterns matches
// ("mq:Describe*", "MQ:*broker*", "*"), each once, sorted by service prefix
// and then by name. A pattern without wildcards expands to its action when
// the catalog knows it. Only the services a pattern can reach are decoded.
func (c *Catalog) Expand(patterns ...string) []*Action {
	return c.expand(patterns, false)
}

// ExpandNot returns every action of the catalog that none of the patterns
// matches: what a statement's NotAction element covers. It decodes every
// service.
func (c *Catalog) ExpandNot(patterns ...string) []*Action {
	return c.expand(patterns, true)
}

func (c *Catalog) expand(patterns []string, complement bool) []*Action {
	aps := make([]actionPattern, len(patterns))
	for i, p := range patterns {
		aps[i] = splitActionPattern(p)
	}
	var out []*Action
	var live []*actionPattern
	for _, s := range c.candidates(aps, complement) {
		live = live[:0]
		for i := range aps {
			if aps[i].matchesService(s.Prefix) {
				live = append(live, &aps[i])
			}
		}
		if len(live) == 0 && !complement {
			continue
		}
		actions := s.Actions()
		for i := range actions {
			if anyMatch(live, &actions[i]) != complement {
				out = append(out, &actions[i])
			}
		}
	}
	return out
}

// candidates returns the services the patterns can reach, in order: every
// service for a complement or for a pattern whose prefix part has wildcards.
func (c *Catalog) candidates(aps []actionPattern, complement bool) []*Service {
	if complement {
		return c.services
	}
	var picked []bool
	for i := range aps {
		if !aps[i].colon || hasWildcard(aps[i].service) {
			return c.services
		}
		if j := c.index.lookup(aps[i].service); j >= 0 {
			if picked == nil {
				picked = make([]bool, len(c.services))
			}
			picked[j] = true
		}
	}
	var out []*Service
	for j, ok := range picked {
		if ok {
			out = append(out, c.services[j])
		}
	}
	return out
}

func anyMatch(aps []*actionPattern, a *Action) bool {
	for _, ap := range aps {
		if ap.matches(a) {
			return true
		}
	}
	return false
}

// Names returns the actions as policies name them ("mq:CreateBroker").
func Names(actions []*Action) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.String()
	}
	return out
}
