// Package eval implements the AWS policy evaluation logic over compiled policy
// sets: explicit deny, allow, implicit deny, permissions boundaries, session
// policies, SCPs and resource-based policies (within an account and across
// accounts), every condition operator and policy variables. The IAM User
// Guide's "Policy evaluation logic" pages are the reference; each function
// cites the section it implements.
//
// It imports only packages policy and arn. It is pure: no I/O, no context, no clock.
//
// Entry points: [Compile] turns [Policies] into an immutable [Set];
// [Set.Evaluate] decides a [Request] without allocating; [Set.Explain] says
// why (the deciding statements with their place in the text, the policy kinds
// that lacked an allow, the missing context keys, diagnostics); [Merge]
// combines a principal's set with a resource's; [Set.ContextKeys] lists the
// condition keys the policies use. A statement that cannot be evaluated never
// allows: it yields a [Diagnostic].
package eval
