package analysis

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"

	"github.com/iamq/iamq/policy"
)

// maxContexts bounds the contexts tried per statement of A.
const maxContexts = 8

// contextCandidates returns contexts for requests drawn from a statement
// with conditions conds: first one in which its simple conditions hold (see
// satisfying), then variants that change one condition's key to another
// value that still satisfies it, or leave it out where its absence does, and
// last the empty context. eval confirms every request built from them.
// single reports the keys a request carries one value of (nil: none).
func contextCandidates(conds []policy.Condition, single func(key string) bool) [][]KeyValues {
	base := satisfying(conds)
	out := [][]KeyValues{}
	if base != nil {
		out = append(out, base)
	}
	for i := range conds {
		cd := &conds[i]
		for _, alt := range alternatives(cd, single != nil && single(cd.Key)) {
			if len(out) >= maxContexts-1 {
				return append(out, nil)
			}
			out = append(out, replaceKey(base, cd.Key, alt))
		}
	}
	return append(out, nil)
}

// replaceKey returns kvs with key's values replaced by vals (nil: the key
// left out).
func replaceKey(kvs []KeyValues, key string, vals []string) []KeyValues {
	out := make([]KeyValues, 0, len(kvs)+1)
	found := false
	for _, kv := range kvs {
		if strings.EqualFold(kv.Key, key) {
			found = true
			if vals != nil {
				out = append(out, KeyValues{Key: kv.Key, Values: vals})
			}
			continue
		}
		out = append(out, kv)
	}
	if !found && vals != nil {
		out = append(out, KeyValues{Key: key, Values: vals})
	}
	return out
}

// alternatives returns other value lists under which cd holds (nil: the key
// absent), besides the one satisfying picks.
func alternatives(cd *policy.Condition, single bool) [][]string {
	op := cd.Operator
	var out [][]string
	if op.IfExists || op.Qualifier == policy.ForAllValues || (op.Comparison.Negated() && op.Qualifier != policy.ForAnyValue) {
		out = append(out, nil)
	}
	if op.Comparison.Negated() {
		return append(out, []string{"iamq-analysis-other"})
	}
	for i, v := range cd.Values {
		if w, ok := satisfyValue(op.Comparison, v.Text); ok && i > 0 {
			out = append(out, []string{w})
		}
		if op.Comparison == policy.IPAddress {
			if p, err := policy.ParseCIDR(v.Text); err == nil {
				out = append(out, []string{lastAddr(p).String()})
			}
		}
	}
	if op.Qualifier != policy.ForAllValues && len(cd.Values) > 0 && !single {
		// A multivalued key: one value that passes and one that may not.
		if w, ok := satisfyValue(op.Comparison, cd.Values[0].Text); ok {
			out = append(out, []string{w, "iamq-analysis-other"})
		}
	}
	return out
}

// lastAddr returns the last address of block p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// probeContexts returns variants of the base context of A's statement s in
// which a key that a condition of s and one of other (B's statements) share
// takes one of the other's values, as written or as a satisfying value:
// the values at which B's test changes its answer.
func probeContexts(s *policy.Statement, others []*policy.Statement) [][]KeyValues {
	base := satisfying(s.Conditions)
	var out [][]KeyValues
	for _, t := range others {
		for i := range t.Conditions {
			ct := &t.Conditions[i]
			if !sharesKey(s.Conditions, ct.Key) {
				continue
			}
			for _, v := range ct.Values {
				out = append(out, replaceKey(base, ct.Key, []string{v.Text}))
				if w, ok := satisfyValue(ct.Operator.Comparison, v.Text); ok && w != v.Text {
					out = append(out, replaceKey(base, ct.Key, []string{w}))
				}
				if len(out) >= maxContexts {
					return out
				}
			}
		}
	}
	return out
}

func sharesKey(conds []policy.Condition, key string) bool {
	for i := range conds {
		if strings.EqualFold(conds[i].Key, key) {
			return true
		}
	}
	return false
}

// satisfyValue returns a request value that satisfies comparison cmp
// against policy value v, when one is easily made.
func satisfyValue(cmp policy.Comparison, v string) (string, bool) {
	switch cmp {
	case policy.StringEquals, policy.StringEqualsIgnoreCase, policy.ArnEquals,
		policy.NumericEquals, policy.NumericLessThanEquals, policy.NumericGreaterThanEquals,
		policy.DateEquals, policy.DateLessThanEquals, policy.DateGreaterThanEquals,
		policy.Bool, policy.BinaryEquals:
		return v, true
	case policy.StringLike, policy.ArnLike:
		return instance(v), true
	case policy.NumericLessThan, policy.NumericGreaterThan:
		n, err := policy.ParseNumber(v)
		if err != nil {
			return "", false
		}
		if cmp == policy.NumericLessThan {
			n--
		} else {
			n++
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case policy.DateLessThan, policy.DateGreaterThan:
		t, err := policy.ParseDate(v)
		if err != nil {
			return "", false
		}
		if cmp == policy.DateLessThan {
			t = t.Add(-time.Second)
		} else {
			t = t.Add(time.Second)
		}
		return t.UTC().Format(time.RFC3339), true
	case policy.IPAddress:
		p, err := policy.ParseCIDR(v)
		if err != nil {
			return "", false
		}
		return p.Addr().String(), true
	}
	return "", false
}

// escape returns a string that none of patterns matches (fold: ignoring
// case), or false when every string matches one or the search gave up.
func escape(patterns []string, fold bool) (string, bool) {
	_, w, decided := included(newLang([]string{"*"}, fold), newLang(patterns, fold), "x")
	return w, decided && w != ""
}

// renderVars renders the policy variables of pattern p as eval would for the
// analysed principal: aws:username and aws:PrincipalAccount take its values,
// ${*}, ${?} and ${$} their characters, any other variable "x" (eval then
// decides whether the request still matches).
func renderVars(p string) string {
	return mapVars(p, func(name, def string) string {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "aws:username":
			return principalName
		case "aws:principalaccount":
			return principalAccount
		case "*", "?", "$":
			return name
		}
		if d := strings.TrimSpace(def); d != "" {
			return strings.Trim(d, "'")
		}
		return "x"
	})
}

// mapVars returns p with each policy variable ${NAME} or ${NAME, DEFAULT}
// replaced by f(NAME, DEFAULT); an unclosed "${" and what follows stay as
// they are.
func mapVars(p string, f func(name, def string) string) string {
	var sb strings.Builder
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			sb.WriteString(p)
			return sb.String()
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			sb.WriteString(p)
			return sb.String()
		}
		sb.WriteString(p[:i])
		name, def, _ := strings.Cut(p[i+2:i+j], ",")
		sb.WriteString(f(name, def))
		p = p[i+j+1:]
	}
}

// violations returns variants of base in which one condition of one of the
// statements others (B's) fails: its key left out, or given a value it
// rejects. A request A allows under such a context is one B may refuse.
func violations(others []*policy.Statement, base []KeyValues) [][]KeyValues {
	var out [][]KeyValues
	for _, t := range others {
		for i := range t.Conditions {
			ct := &t.Conditions[i]
			for _, vals := range violating(ct) {
				out = append(out, replaceKey(base, ct.Key, vals))
				if len(out) >= 2*maxContexts {
					return out
				}
			}
		}
	}
	return out
}

// violating returns value lists under which condition ct may fail (nil:
// the key left out).
func violating(ct *policy.Condition) [][]string {
	op := ct.Operator
	cmp := op.Comparison
	if len(ct.Values) == 0 {
		return nil
	}
	v := ct.Values[0].Text
	if cmp == policy.Null {
		if b, _ := policy.ParseBool(v); b {
			return [][]string{{"x"}}
		}
		return [][]string{nil}
	}
	var out [][]string
	if !cmp.Negated() && !op.IfExists && op.Qualifier != policy.ForAllValues {
		out = append(out, nil)
	}
	if cmp.Negated() {
		w := v
		switch cmp.Family() {
		case policy.FamilyIP:
			if p, err := policy.ParseCIDR(v); err == nil {
				w = p.Addr().String()
			}
		case policy.FamilyString, policy.FamilyARN:
			w = instance(renderVars(v))
		}
		return append(out, []string{w})
	}
	if w, ok := outside(cmp, v); ok {
		out = append(out, []string{w})
	}
	return out
}

// outside returns a value that positive comparison cmp rejects against
// policy value v, when one is easily made.
func outside(cmp policy.Comparison, v string) (string, bool) {
	switch cmp.Family() {
	case policy.FamilyString:
		return "iamq-analysis-other", true
	case policy.FamilyARN:
		return arn.ARN{Partition: arn.PartitionAWS, Service: "iamq", Region: "us-east-1", Account: "000000000000", Resource: "other"}.String(), true
	case policy.FamilyBool:
		b, err := policy.ParseBool(v)
		return strconv.FormatBool(!b), err == nil
	case policy.FamilyIP:
		return "203.0.113.254", true
	case policy.FamilyBinary:
		return "AAAA", true
	case policy.FamilyNumeric:
		n, err := policy.ParseNumber(v)
		if err != nil {
			return "", false
		}
		if strings.Contains(string(cmp), "Greater") {
			n--
		} else {
			n++
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case policy.FamilyDate:
		t, err := policy.ParseDate(v)
		if err != nil {
			return "", false
		}
		if strings.Contains(string(cmp), "Greater") {
			t = t.Add(-24 * time.Hour)
		} else {
			t = t.Add(24 * time.Hour)
		}
		return t.UTC().Format(time.RFC3339), true
	}
	return "", false
}

// varContext returns context keys for the policy variables of pattern p
// that the analysed principal does not determine, each with the value "x"
// that renderVars gives them.
func varContext(p string) []KeyValues {
	var out []KeyValues
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return out
		}
		name, def, _ := strings.Cut(p[i+2:i+j], ",")
		name = strings.TrimSpace(name)
		switch strings.ToLower(name) {
		case "aws:username", "aws:principalaccount", "*", "?", "$":
		default:
			if strings.TrimSpace(def) == "" {
				out = append(out, KeyValues{Key: name, Values: []string{"x"}})
			}
		}
		p = p[i+j+1:]
	}
}
