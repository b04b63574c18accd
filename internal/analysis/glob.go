package analysis

import "strings"

// A lang is a union of IAM wildcard patterns read as a language of strings:
// '*' is any run of bytes (':' and '/' included) and '?' any one byte, as
// eval matches Action (case-insensitively, fold) and Resource
// (case-sensitively) elements. It is a nondeterministic automaton whose
// states are the positions in its patterns; inclusion and intersection are
// decided by exploring the product of the subset automata over a finite
// alphabet: every byte written in a pattern, plus one byte written in none,
// which stands for all the others (no pattern tells them apart).
type lang struct {
	pats [][]byte // the patterns; '*' and '?' are the wildcards
	base []int    // base[i] is the first state of pattern i
	n    int      // number of states
}

func newLang(patterns []string, fold bool) *lang {
	l := &lang{}
	for _, p := range patterns {
		if fold {
			p = strings.ToLower(p)
		}
		l.pats = append(l.pats, []byte(p))
		l.base = append(l.base, l.n)
		l.n += len(p) + 1
	}
	return l
}

// stateSet is a sorted set of states of one lang.
type stateSet []int

// start returns the closure of every pattern's first state.
func (l *lang) start() stateSet {
	var s stateSet
	for i := range l.pats {
		s = l.close(s, i, 0)
	}
	return s
}

// close adds state j of pattern i and every state reachable from it by
// skipping stars.
func (l *lang) close(s stateSet, i, j int) stateSet {
	p := l.pats[i]
	for {
		s = append(s, l.base[i]+j)
		if j < len(p) && p[j] == '*' {
			j++
			continue
		}
		return s
	}
}

// locate returns the pattern and position of state st.
func (l *lang) locate(st int) (int, int) {
	i := len(l.base) - 1
	for l.base[i] > st {
		i--
	}
	return i, st - l.base[i]
}

// step returns the states reached from s by byte c.
func (l *lang) step(s stateSet, c byte) stateSet {
	var out stateSet
	for _, st := range s {
		i, j := l.locate(st)
		p := l.pats[i]
		if j == len(p) {
			continue
		}
		switch p[j] {
		case '*':
			out = l.close(out, i, j)
		case '?':
			out = l.close(out, i, j+1)
		default:
			if p[j] == c {
				out = l.close(out, i, j+1)
			}
		}
	}
	return normalize(out)
}

func (l *lang) accepts(s stateSet) bool {
	for _, st := range s {
		i, j := l.locate(st)
		if j == len(l.pats[i]) {
			return true
		}
	}
	return false
}

func normalize(s stateSet) stateSet {
	if len(s) < 2 {
		return s
	}
	// Insertion sort: sets are small.
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// maxStates bounds the product exploration, and maxWork the automaton
// states stepped through in it; beyond either the answer is unknown.
const (
	maxStates = 20000
	maxWork   = 2_000_000
)

// searchResult is the outcome of a product search.
type searchResult uint8

const (
	searchNone    searchResult = iota // no string has the property
	searchFound                       // witness has it
	searchTooLong                     // the search gave up
)

// witness looks for a string in a whose membership in b is want: want false
// finds a string of a that b lacks (so a ⊆ b when none exists), want true a
// string of both (a ∩ b = ∅ when none exists). filler is preferred for the
// byte that stands for all bytes no pattern names.
func witness(a, b *lang, want bool, filler string) (string, searchResult) {
	if want {
		return search([]*lang{a, b}, nil, filler)
	}
	return search([]*lang{a}, b, filler)
}

// search looks for a string that every language of ins holds and out (nil:
// none) does not; with no ins, every string is in. It explores the product
// of the subset automata breadth first, so the witness is a shortest one.
func search(ins []*lang, out *lang, filler string) (string, searchResult) {
	type node struct {
		st     []stateSet // ins' states, then out's
		parent int
		c      byte
	}
	if out == nil {
		out = newLang(nil, false)
	}
	for _, p := range out.pats {
		if isStars(string(p)) {
			return "", searchNone // out holds every string
		}
	}
	all := append(append([]*lang(nil), ins...), out)
	alpha := alphabet(filler, all...)
	var kb strings.Builder
	key := func(st []stateSet) string { return productKey(&kb, st) }
	first := make([]stateSet, len(all))
	for i, l := range all {
		first[i] = normalize(l.start())
	}
	nodes := []node{{st: first, parent: -1}}
	work := 0
	seen := map[string]bool{key(first): true}
	for i := 0; i < len(nodes); i++ {
		nd := nodes[i]
		if acceptsAll(ins, nd.st) && !out.accepts(nd.st[len(ins)]) {
			return path(i, func(k int) (int, byte) { return nodes[k].parent, nodes[k].c }), searchFound
		}
	next:
		for _, c := range alpha {
			st := make([]stateSet, len(all))
			for j, l := range all {
				if work += len(nd.st[j]); work > maxWork {
					return "", searchTooLong
				}
				st[j] = l.step(nd.st[j], c)
				if j < len(ins) && len(st[j]) == 0 {
					continue next
				}
			}
			k := key(st)
			if seen[k] {
				continue
			}
			if len(nodes) >= maxStates {
				return "", searchTooLong
			}
			seen[k] = true
			nodes = append(nodes, node{st: st, parent: i, c: c})
		}
	}
	return "", searchNone
}

// productKey renders a product state for the seen set, in kb.
func productKey(kb *strings.Builder, st []stateSet) string {
	kb.Reset()
	for _, s := range st {
		for _, v := range s {
			kb.WriteString(itoa(v))
			kb.WriteByte(',')
		}
		kb.WriteByte('|')
	}
	return kb.String()
}

func acceptsAll(ls []*lang, st []stateSet) bool {
	for j, l := range ls {
		if !l.accepts(st[j]) {
			return false
		}
	}
	return true
}

// path returns the bytes on the way to node i, given each node's parent
// and byte.
func path(i int, link func(int) (int, byte)) string {
	var rev []byte
	for k := i; ; {
		p, c := link(k)
		if p < 0 {
			break
		}
		rev = append(rev, c)
		k = p
	}
	for x, y := 0, len(rev)-1; x < y; x, y = x+1, y-1 {
		rev[x], rev[y] = rev[y], rev[x]
	}
	return string(rev)
}

// alphabet returns the bytes the patterns name, the filler byte first.
func alphabet(filler string, ls ...*lang) []byte {
	var used [256]bool
	var out []byte
	for _, l := range ls {
		for _, p := range l.pats {
			for _, c := range p {
				if c != '*' && c != '?' && !used[c] {
					used[c] = true
					out = append(out, c)
				}
			}
		}
	}
	for i := 0; i < len(filler); i++ {
		if c := filler[i]; !used[c] {
			return append([]byte{c}, out...)
		}
	}
	for c := 0; c < 256; c++ {
		if !used[c] && c != '*' && c != '?' {
			return append([]byte{byte(c)}, out...)
		}
	}
	return out
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// included reports whether every string of a is in b: proven (true, ""),
// refuted (false, a witness) or unknown (false, "", false).
func included(a, b *lang, filler string) (ok bool, w string, decided bool) {
	return verdict(witness(a, b, false, filler))
}

// disjoint reports whether a and b share no string, with a shared one when
// they do; decided is false when the search gave up.
func disjoint(a, b *lang, filler string) (ok bool, w string, decided bool) {
	return verdict(witness(a, b, true, filler))
}

// verdict reads a witness search: none found proves the property, one found
// refutes it, and a search that gave up decides nothing.
func verdict(w string, r searchResult) (ok bool, found string, decided bool) {
	switch r {
	case searchNone:
		return true, "", true
	case searchFound:
		return false, w, true
	}
	return false, "", false
}
