//go:build race

package analyzerapi_test

// raceEnabled: the race detector slows the analysis tenfold, so the tests
// over every AWS managed policy sample them.
const raceEnabled = true
