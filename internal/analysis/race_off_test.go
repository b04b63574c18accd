//go:build !race

package analysis_test

// raceEnabled: the tests run under the race detector.
const raceEnabled = false
