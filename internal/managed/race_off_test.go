//go:build !race

package managed

// raceEnabled: the tests run under the race detector.
const raceEnabled = false
