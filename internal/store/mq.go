package store

import "time"

// MQKind is a kind of Amazon MQ record: the control plane's brokers,
// configurations, configuration revisions and broker users.
type MQKind string

// The kinds of Amazon MQ records.
const (
	MQBroker        MQKind = "broker"
	MQConfiguration MQKind = "configuration"
	MQRevision      MQKind = "revision" // Parent is the configuration
	MQUser          MQKind = "user"     // Parent is the broker
)

// MQRecord is one Amazon MQ resource as the store keeps it: its key and the
// columns the store orders and filters by, and the domain's own JSON
// document (package mq owns its shape). Records are per account and region.
type MQRecord struct {
	AccountID string
	Kind      MQKind
	Region    string
	// Parent is the record this one belongs to (the broker of a user, the
	// configuration of a revision); "" for brokers and configurations.
	Parent string
	// ID is the record's key within its kind, region and parent: a broker's
	// or configuration's id, a user's name, a revision's number.
	ID string
	// Name, when not "", is unique among the live records of its kind in
	// the account and region (a broker's name); compared exactly.
	Name    string
	Created time.Time
	// Expires, when not zero, is when the record is gone (a deleted broker
	// at the end of its DELETION_IN_PROGRESS): reads at or after it do not
	// see it, and a new record may take its key and name.
	Expires  time.Time
	Document []byte
}

// MQListOptions selects a page of Amazon MQ records, ordered by region then
// ID; the marker is opaque, as in [ListOptions].
type MQListOptions struct {
	Kind   MQKind
	Region string // "" = every region
	Parent string
	Now    time.Time // records expired at Now are left out
	Marker string
	// MaxItems is the page size: 0 = 100, at most 1000.
	MaxItems int
}
