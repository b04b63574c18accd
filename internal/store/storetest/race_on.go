//go:build race

package storetest

// raceEnabled: the suite runs under the race detector.
const raceEnabled = true
