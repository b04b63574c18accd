package catalog

import (
	"slices"
	"strings"

	"github.com/iamq/iamq/arn"
)

// ARN formats and ARN patterns.
//
// A resource type's ARN format has ${Variables} ("arn:${Partition}:mq:
// ${Region}:${Account}:broker:${BrokerName}:${BrokerId}") and, in a few
// services, a literal '*'. A variable stands for one non-empty ARN field
// part: any text without ':' — except a variable that ends the format, which
// may hold ':' too (S3 object keys, for one). Literal text is compared
// case-sensitively, as IAM compares ARNs in a Resource element.
//
// The other side is an ARN or an ARN pattern from a policy: '*' matches any
// run of characters, '?' one character ("IAM JSON policy elements:
// Resource"), and a policy variable (${aws:username}) is treated as '*',
// since its value is unknown when the policy is read. ${*}, ${?} and ${$}
// are the escapes for the literal characters.
//
// As in ArnLike ("IAM JSON policy elements: Condition operators"), the five
// fields before the resource are matched one by one: a wildcard in the
// region field does not reach into the resource.
//
// Matching asks whether some concrete ARN fits both, by walking the product
// of the two automata; for a plain ARN that is ordinary matching.

// maxARN bounds the ARNs and formats matched (IAM caps a resource ARN at
// 2048 characters), which bounds the walk's memory.
const maxARN = 4096

// arnTokKind is what one token of an ARN format or pattern matches.
type arnTokKind uint8

const (
	tokLit  arnTokKind = iota // one literal byte
	tokAny1                   // '?' in a pattern: one byte
	tokStar                   // '*': any run, possibly empty
	tokVar                    // ${Var} in a format: a non-empty run without ':'
	tokTail                   // ${Var} ending a format: a non-empty run
)

type arnTok struct {
	kind arnTokKind
	c    byte
}

// arnFormat is a parsed ARN format.
type arnFormat struct {
	toks     []arnTok
	colons   []int // colons[j]: literal ':' before toks[j]
	literals int   // literal bytes: more means more specific
}

// parseARNFormat parses a resource type's ARN format.
func parseARNFormat(s string) arnFormat {
	f := arnFormat{toks: make([]arnTok, 0, len(s)), colons: make([]int, 0, len(s))}
	colons := 0
	for i := 0; i < len(s); i++ {
		f.colons = append(f.colons, colons)
		switch {
		case strings.HasPrefix(s[i:], "${") && strings.IndexByte(s[i:], '}') > 0:
			i += strings.IndexByte(s[i:], '}')
			f.toks = append(f.toks, arnTok{kind: tokVar})
		case s[i] == '*':
			f.toks = append(f.toks, arnTok{kind: tokStar})
		default:
			f.toks = append(f.toks, arnTok{kind: tokLit, c: s[i]})
			f.literals++
			if s[i] == ':' {
				colons++
			}
		}
	}
	if n := len(f.toks); n > 0 && f.toks[n-1].kind == tokVar {
		f.toks[n-1].kind = tokTail
	}
	return f
}

// parseARNPattern parses an ARN or ARN pattern from a policy.
func parseARNPattern(s string) []arnTok {
	toks := make([]arnTok, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "${") && strings.IndexByte(s[i:], '}') > 0:
			end := i + strings.IndexByte(s[i:], '}')
			switch v := s[i+2 : end]; v {
			case "*", "?", "$":
				toks = append(toks, arnTok{kind: tokLit, c: v[0]})
			default:
				toks = append(toks, arnTok{kind: tokStar})
			}
			i = end
		case s[i] == '*':
			toks = append(toks, arnTok{kind: tokStar})
		case s[i] == '?':
			toks = append(toks, arnTok{kind: tokAny1})
		default:
			toks = append(toks, arnTok{kind: tokLit, c: s[i]})
		}
	}
	return toks
}

// Matches reports whether resource — an ARN, or a policy's ARN pattern with
// wildcards — can name a resource of this type.
func (t *ResourceType) Matches(resource string) bool {
	return t.format.overlaps(parseARNPattern(resource))
}

// ResourceTypesOf returns the service's resource types that resource (an ARN or an
// ARN pattern) can name, the most specific format first: an S3 object ARN
// fits both the object and, with a bucket name holding '/', the bucket
// format, and the object format has more literal text.
func (s *Service) ResourceTypesOf(resource string) []*ResourceType {
	pat := parseARNPattern(resource)
	var out []*ResourceType
	types := s.data().resourceTypes
	for i := range types {
		if types[i].format.overlaps(pat) {
			out = append(out, &types[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *ResourceType) int { return b.format.literals - a.format.literals })
	return out
}

// ResourceTypeOf returns the most specific resource type of the service that
// resource names ("arn:aws:mq:us-east-1:111122223333:broker:b1:b-1234" is a
// "brokers").
func (s *Service) ResourceTypeOf(resource string) (*ResourceType, bool) {
	ts := s.ResourceTypesOf(resource)
	if len(ts) == 0 {
		return nil, false
	}
	return ts[0], true
}

// ResourceTypeOf finds the service an ARN's service field names and the most
// specific of its resource types that the ARN fits.
func (c *Catalog) ResourceTypeOf(resource string) (*Service, *ResourceType, bool) {
	a, err := arn.ParsePattern(resource)
	if err != nil {
		return nil, nil, false
	}
	s, ok := c.Service(a.Service)
	if !ok {
		return nil, nil, false
	}
	t, ok := s.ResourceTypeOf(resource)
	return s, t, ok
}

// overlaps reports whether some string matches both the format and the
// pattern. States are (pattern position, format position, inside a variable);
// a breadth-first walk over them needs no backtracking.
func (f *arnFormat) overlaps(pat []arnTok) bool {
	n, m := len(pat), len(f.toks)
	if n > maxARN || m > maxARN {
		return false
	}
	w := &walk{width: 2 * (m + 1)}
	w.seen = make([]bool, (n+1)*w.width)
	w.push(0, 0)
	for len(w.queue) > 0 {
		st := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		i, j, in := st.i, st.j/2, st.j%2 == 1
		if i == n && j == m && !in {
			return true
		}
		// Moves that consume nothing.
		if i < n && pat[i].kind == tokStar {
			w.push(i+1, st.j)
		}
		if in || j < m && f.toks[j].kind == tokStar {
			w.push(i, 2*(j+1))
		}
		if i < n && j < m {
			f.consume(w, pat[i], st)
		}
	}
	return false
}

// walk is the state of overlaps: states are (pattern position, 2*format
// position + inside-variable bit).
type walk struct {
	width int
	seen  []bool
	queue []walkState
}

type walkState struct{ i, j int }

func (w *walk) push(i, j int) {
	if !w.seen[i*w.width+j] {
		w.seen[i*w.width+j] = true
		w.queue = append(w.queue, walkState{i, j})
	}
}

// consume pushes the states reached by consuming one byte that both the
// pattern token pc and the format's token at st match.
func (f *arnFormat) consume(w *walk, pc arnTok, st walkState) {
	pnext := st.i + 1
	if pc.kind == tokStar {
		pnext = st.i
	}
	j, in := st.j/2, st.j%2 == 1
	ft := f.toks[j]
	switch {
	case in:
		if consumable(pc, ft.kind == tokTail) {
			w.push(pnext, st.j)
		}
	case ft.kind == tokLit:
		// A wildcard stays inside one of the five fields before the
		// resource, as in ArnLike: it may not stand for their colons.
		if pc.kind == tokLit && pc.c == ft.c || pc.kind != tokLit && (ft.c != ':' || f.colons[j] >= 5) {
			w.push(pnext, 2*(j+1))
		}
	case ft.kind == tokStar:
		w.push(pnext, st.j)
	default: // a variable: its first byte
		if consumable(pc, ft.kind == tokTail) {
			w.push(pnext, 2*j+1)
		}
	}
}

// consumable reports whether the pattern token can match a byte a variable
// accepts (anything but ':', unless colons are allowed).
func consumable(p arnTok, colons bool) bool {
	return colons || p.kind != tokLit || p.c != ':'
}
