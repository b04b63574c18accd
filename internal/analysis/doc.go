// Package analysis compares policies: whether one allows everything another
// allows (with a counterexample when not), and, later, semantic diffs.
//
// It may import internal/catalog, eval, policy and arn.
//
// Entry point: [Covers] answers "does identity policy B allow every request
// identity policy A allows?" with a [Result]: [Proven], a [Counterexample]
// (a concrete [Request] that eval allows under A and not under B), or
// [Unknown] with the reason. It is sound: Proven only when it holds for every
// action, including actions not in today's catalog, every resource and every
// context.
//
// Action and Resource patterns are read as languages of strings, exactly as
// eval matches them ('*' any run of bytes, colons included; actions
// case-insensitively): inclusion and intersection of unions of patterns are
// decided on the product of their automata (glob.go), which also yields the
// witness strings that counterexamples are built from. The catalog only
// supplies readable action names for counterexamples; it never proves.
// Conditions: a statement of A is covered by B statements whose conditions
// are each implied by one of A's (cond.go). B's Deny statements must be
// disjoint from A's allows by action or by resource. NotAction and
// NotResource in A's Allow statements, B's Deny conditions and policy
// variables written differently on the two sides are not reasoned about yet:
// they give Unknown unless a counterexample is confirmed (counter.go).
package analysis
