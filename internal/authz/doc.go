// Package authz decides whether a verified caller may make a request. It
// turns the caller into the policies that apply (inline and managed policies
// of the user and the user's groups, or of the role; the permissions
// boundary; a session's policies), compiles them with package eval and caches
// the compiled set per principal, and builds the request context.
//
// The cache follows the store's change sequence through the process's one
// store.Follower, which calls [Authorizer.Apply] with every change (this
// node's at once, other nodes' within a second); each change drops only the
// sets it can alter (one user's or role's, the account's, or all), and the
// credential cache ([Credentials.Apply]) only the keys it can alter. Compiled managed policy
// versions are shared by every principal that holds them. [Principal] is
// the one type of "who is calling" that every package uses.
//
// It may import internal/managed, internal/store, eval, policy and arn. The AWS managed policies
// reach it through the [AWSPolicies] interface, which internal/managed
// implements.
package authz
