// Package sqlstore is the one SQL engine behind [store.Store]: one schema
// (versioned migrations applied on open) and one set of queries written with
// $N placeholders, which both drivers accept. The backends store/sqlite and
// store/postgres are dialects of it: they open the connections and supply a
// [Dialect] (the collation of name keys, locks, NOTIFY, how their driver
// reports a unique violation or a lost race).
//
// It may import internal/store (the interface, its types and sentinel
// errors), policy and arn; nothing else of iamq. The backends import it; nothing
// else should, since callers hold a [store.Store].
//
// Entry points:
//
//   - [New] applies the migrations and returns an [Engine], which implements
//     [store.Store]: transactions ([Engine.View], [Engine.Update]) serialize
//     each account's writers, so the quotas hold under concurrency; every
//     write records its changes in the change sequence, and
//     [Engine.Publish] passes another node's announcement to this process's
//     subscribers.
//   - Lists are keyset pages with an opaque marker of the last item's sort
//     key, so that every item that exists during a whole listing appears
//     exactly once.
//   - Secrets are sealed with AES-256-GCM by a [Sealer], bound to their row;
//     [LoadKey] reads (or creates, mode 0600) the key that
//     [store.Options] names.
package sqlstore
