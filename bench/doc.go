// Package bench times iamq's evaluation engine (package eval) side by side
// with two peer engines, cedar-go and OPA/Rego, on the workloads of the
// engine's own benchmarks. Each workload's IAM policies are translated into
// Cedar and Rego as faithfully as each language allows (see translate_test.go
// for what each language cannot say); before anything is timed,
// TestSameDecisions requires the three engines to decide every request of
// every workload alike.
//
// It is a separate module so that the main module does not depend on the
// peers. Run from this directory:
//
//	go test -run '^$' -bench . -benchmem
package bench
