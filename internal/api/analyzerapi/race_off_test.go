//go:build !race

package analyzerapi_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
