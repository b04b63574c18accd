package eval

// The reference interpreter: a deliberately plain reading of the IAM User
// Guide ("Policy evaluation logic", "IAM JSON policy elements: Condition
// operators", "IAM policy elements: Variables and tags", "Single-valued vs.
// multivalued context keys"), written straight over policy.Document with no
// compilation, no index and none of the engine's matching or condition code.
// Evaluate must agree with it on every corpus case and every fuzz input.

import "strings"

// refLower lower-cases ASCII letters only.
func refLower(s string) string {
	var b strings.Builder
	for _, r := range []byte(s) {
		if r >= 'A' && r <= 'Z' {
			r += 32
		}
		b.WriteByte(r)
	}
	return b.String()
}

// refItem is one character of a reference pattern: wild is 0 for a literal,
// '*' or '?' for a wildcard.
type refItem struct {
	c    byte
	wild byte
}

// refGlob matches s against a pattern recursively.
func refGlob(p []refItem, s string) bool {
	if len(p) == 0 {
		return s == ""
	}
	switch p[0].wild {
	case '*':
		for i := 0; i <= len(s); i++ {
			if refGlob(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && refGlob(p[1:], s[1:])
	}
	return s != "" && s[0] == p[0].c && refGlob(p[1:], s[1:])
}

func refPattern(s string, wild bool) []refItem {
	var p []refItem
	for i := 0; i < len(s); i++ {
		if wild && (s[i] == '*' || s[i] == '?') {
			p = append(p, refItem{wild: s[i]})
		} else {
			p = append(p, refItem{c: s[i]})
		}
	}
	return p
}

func refLiteral(p []refItem) (string, bool) {
	var b strings.Builder
	for _, it := range p {
		switch it.wild {
		case 0:
			b.WriteByte(it.c)
		default:
			b.WriteByte(it.wild)
		}
	}
	return b.String(), true
}

// refContext is the request's condition keys as a map from lower-cased key to
// text values, plus the typed values.
type refContext map[string][]Value

func refBuildContext(r *Request) refContext {
	ctx := refContext{}
	if r.Context != nil {
		for _, k := range r.Context.Keys() {
			vals, _ := r.Context.Lookup(k)
			ctx[refLower(k)] = vals
		}
	}
	p := r.Principal
	put := func(k, v string) {
		if _, ok := ctx[refLower(k)]; !ok && v != "" {
			ctx[refLower(k)] = []Value{String(v)}
		}
	}
	isService := p.Kind == PrincipalService || p.Kind == PrincipalWebIdentity
	if !isService {
		if p.Kind == PrincipalRoleSession && p.IdentityARN != "" {
			put("aws:PrincipalArn", p.IdentityARN)
		} else {
			put("aws:PrincipalArn", p.ARN)
		}
		put("aws:PrincipalAccount", p.Account)
	}
	put("aws:PrincipalType", map[PrincipalKind]string{PrincipalUser: "User", PrincipalRoot: "Account",
		PrincipalRoleSession: "AssumedRole", PrincipalFederatedUser: "FederatedUser"}[p.Kind])
	if p.Kind == PrincipalUser {
		parts := strings.Split(p.ARN, "/")
		put("aws:username", parts[len(parts)-1])
	}
	put("aws:userid", p.UserID)
	put("aws:ResourceAccount", r.ResourceAccount)
	if p.Kind == PrincipalService {
		put("aws:PrincipalServiceName", p.ARN)
	}
	for _, t := range p.Tags {
		if _, seen := ctx[refLower("aws:PrincipalTag/"+t.Key)]; !seen {
			put("aws:PrincipalTag/"+t.Key, t.Value)
		}
	}
	for k, v := range ctx {
		if len(v) == 0 {
			delete(ctx, k)
		}
	}
	return ctx
}

func refText(v Value) string { return v.Text() }

// refSubstitute replaces the policy variables in s. It returns the pattern
// and false when a variable has no value (and no default).
func refSubstitute(s string, ctx refContext, wild bool) ([]refItem, bool) {
	var out []refItem
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			break
		}
		inner := s[i+2 : i+j]
		out = append(out, refPattern(s[:i], wild)...)
		s = s[i+j+1:]
		if inner == "*" || inner == "?" || inner == "$" {
			out = append(out, refItem{c: inner[0]})
			continue
		}
		key, def, hasDef := strings.Cut(inner, ",")
		key = strings.TrimSpace(key)
		def = strings.TrimSpace(def)
		valid := key != "" && !strings.ContainsAny(key, " \t'${")
		if hasDef && (len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'') {
			valid = false
		}
		if !valid {
			// Not a variable: "${" is text, and the search resumes after it.
			out = append(out, refPattern("${", wild)...)
			s = inner + "}" + s
			continue
		}
		vals := ctx[refLower(key)]
		switch {
		case len(vals) == 1:
			out = append(out, refPattern(refText(vals[0]), false)...)
		case hasDef:
			out = append(out, refPattern(def[1:len(def)-1], false)...)
		default:
			return nil, false
		}
	}
	return append(out, refPattern(s, wild)...), true
}
