// Package storetest is the conformance suite that every internal/store backend
// runs: every operation, every quota and its message, case-insensitive
// uniqueness, deletion conflicts, the change sequence, pagination under
// concurrent inserts and deletes, and the races (50 attaches → exactly 10;
// 20 new versions → exactly 4; commits in several accounts numbered in
// commit order).
//
// It may import internal/store and policy.
//
// Entry point: [Run], called from each backend's tests with a function that
// opens an empty store.
package storetest
