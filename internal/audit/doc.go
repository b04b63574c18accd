// Package audit is iamq's decision log: one record per call, shaped like an
// AWS CloudTrail event (eventTime, eventSource, eventName, userIdentity,
// requestParameters with secrets removed, errorCode, requestID, eventID…),
// plus iamq's own authorization member: the decision, the action, the
// resource, the statements that decided it and the context keys a condition
// missed.
//
// The HTTP core (internal/server) hands each call's outcome to a [Log]
// without waiting: the record goes into a bounded channel, and one
// goroutine ([Log.Run]) removes the secrets, encodes the record and writes
// it to the store in batches, optionally streaming it as JSON lines.
// Graceful shutdown flushes every record taken; a crash loses at most the
// records not yet written (one batch interval, DefaultInterval); the store
// commits the batches with relaxed durability on SQLite, so a crash of the machine
// (power loss) may also lose the last written ones.
//
// The package also computes what is derived from the log: which services
// and actions an identity used, and when (IAM's last-accessed data).
//
// It imports internal/store and arn only.
package audit
