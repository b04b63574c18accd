// Package eval implements the AWS policy evaluation logic over compiled policy
// sets: explicit deny, allow, implicit deny, permissions boundaries, session and
// resource-based policies, every condition operator and policy variables.
//
// It imports only package policy. It is pure: no I/O, no context, no clock.
// Decisions come with explanations and diagnostics; a statement that cannot be
// evaluated never allows.
package eval
