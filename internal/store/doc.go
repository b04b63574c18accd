// Package store is iamq's persistence, behind one interface. Each backend is its
// own package: store/sqlite (embedded default) and store/postgres (many nodes).
// store/storetest is the conformance suite both run.
//
// It may import packages policy and arn (document and ARN types only); it needs nothing of them
// today: documents are kept as the text the caller validated.
//
// Entry points:
//
//   - [Store]: accounts, access key lookup by id (for SigV4), the change
//     sequence ([Store.Changes], [Store.Subscribe]) and transactions:
//     [Store.View] and [Store.Update] run a function on one account's [Tx].
//     Writers to one account are serialized, so a check followed by a write
//     in one Update is atomic, and so are the quotas the store enforces
//     (5 versions per policy, 10 attached policies per user, group and role
//     or the account's setting up to 20, 10 groups per user, 2 access keys,
//     the aggregate inline policy sizes, 50 tags).
//   - Entities ([User], [Group], [Role], [InstanceProfile], [Policy],
//     [AccessKey], …) carry their account id and AWS-like ids ([NewID]).
//     Names are unique per account, compared case-insensitively.
//   - Lists return a [Page] in name order with an opaque marker (keyset
//     pagination): every item that exists during a whole listing appears
//     exactly once, whatever is inserted or deleted meanwhile.
//   - Errors: [ErrNotFound], [ErrAlreadyExists], [ErrLimitExceeded] (a
//     [*LimitError] with IAM's message), [ErrConflict], [ErrDeleteConflict] (a
//     [*DeleteConflictError] with IAM's message) and [ErrInvalid], always
//     tested with errors.Is.
//   - Global records outside any account: the versions of AWS managed
//     policies the service published ([Store.PublishAWSPolicyVersion]; its
//     change names no account, so every node forgets every compiled set),
//     and per account, the deletion tasks of service-linked roles
//     ([Store.PutDeletionTask]).
//   - Secrets (secret access keys, session tokens and session data) are
//     sealed with AES-256-GCM; the [KeySize]-byte key comes from [Options]
//     (the bytes, or a file created with mode 0600). A key that does not
//     open them is [ErrDecrypt].
//   - The quotas the store enforces ([Quota], [MaxPolicyVersions],
//     [DefaultAttachQuota], …) and the bounds of a page ([DefaultMaxItems],
//     [MaxMaxItems]), for the IAM layer's validation and messages.
//
// This package holds no engine: the SQL engine both backends share (one
// schema, one set of queries) is [github.com/iamq/iamq/internal/store/sqlstore];
// store/sqlite and store/postgres supply its dialect.
package store
