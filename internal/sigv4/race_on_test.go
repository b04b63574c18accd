//go:build race

package sigv4

// raceEnabled: the tests run under the race detector.
const raceEnabled = true
