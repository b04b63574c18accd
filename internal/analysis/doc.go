// Package analysis compares policies: whether one allows everything another
// allows (with a counterexample when not), and semantic diffs of versions.
//
// It may import internal/catalog, eval, policy and arn.
//
// Entry points: [Covers] answers "does identity policy B allow every request
// identity policy A allows?" with a [Result]: [Proven], a [Counterexample]
// (a concrete [Request] that eval allows under A and not under B), or
// [Unknown] with the reason. It is sound: Proven only when it holds for every
// action, including actions not in today's catalog, every resource and every
// context. [Compare] runs it both ways (equivalence); [Diff] lists, per
// service, the catalog actions added, removed and narrowed, with access
// levels, flagged Write and Permissions management additions and a request
// per loss.
//
// Action and Resource patterns are read as languages of strings, exactly as
// eval matches them ('*' any run of bytes, colons included; actions
// case-insensitively); NotAction and NotResource are their complements.
// Inclusion and intersection of such sets are decided on the product of
// their automata (glob.go, sets.go), which also yields the witness strings
// that counterexamples are built from. The catalog only supplies readable
// action names for counterexamples and diffs; it never proves.
//
// Conditions (cond.go, valueset.go): a statement of A is covered by B
// statements whose conditions are each implied by one of A's. A condition
// is read as "some / every request value passes a test, or the key is
// absent", so implication is decided per operator family — string
// languages, numeric and date intervals, IP blocks, Bool values, ARN
// segments, Null — with IfExists, the set qualifiers and negated operators
// taken into account, and single-valued keys (by the catalog's type) read
// alike under both quantifiers. B's Deny statements must be disjoint from
// A's allows by action, by resource, or by a condition of A that rules one
// of theirs out; a Deny A has too takes nothing A allowed. Policy variables
// are widened to '*' where that only grows A or B's denies, and must
// otherwise be written alike. Whatever is not proven is searched for a
// counterexample (counter.go, ctx.go), each confirmed by eval; what is
// neither is Unknown.
package analysis
