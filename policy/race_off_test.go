//go:build !race

package policy

// raceEnabled: the tests run under the race detector.
const raceEnabled = false
