package store

import "time"

// HistoryEntry is one entry of the change history of managed policies as the
// store keeps it: the columns it filters and orders by, and the entry itself
// in package history's encoding, which the store does not read. Entries are
// global (they belong to no account) and never change once stored.
type HistoryEntry struct {
	// ID is the entry's stable identity; storing an ID again keeps the first.
	ID string
	// Key orders the history: lists run by Key, greatest (newest) first.
	// Keys are unique.
	Key string
	// Service is what the entry is filed under for HistoryQuery.Service:
	// its service prefix ("mq"); package history files the policies of no
	// one service under "-".
	Service string
	// PolicyARN is the policy the entry is about; "" for an entry about a
	// whole service.
	PolicyARN string
	// Data is the entry without its diff; Diff is the diff, "" when there is
	// none or when the list did not ask for it.
	Data, Diff string
	// Stored is when the store took the entry in.
	Stored time.Time
}

// HistoryQuery selects a page of the history, newest first.
type HistoryQuery struct {
	Service   string // only this service's entries ("" = all)
	PolicyARN string // only this policy's entries ("" = all)
	// WithDiff fills in each entry's Diff (which may be large).
	WithDiff bool
	// Marker and MaxItems page as in ListOptions (PathPrefix is unused).
	ListOptions
}

// The bounds of what the history stores, checked before anything is written.
const (
	MaxHistoryID   = 512     // bytes of an ID or Key
	MaxHistoryData = 1 << 16 // bytes of Data
	MaxHistoryDiff = 1 << 22 // bytes of Diff
)
