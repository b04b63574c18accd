package layout

import (
	"slices"
	"testing"
)

// arnAllowlist is what may stay outside package arn, each with its reason. It
// lives in a test file because its own entries hold "arn:". Every entry must
// still match something, so that it goes when its code does.
func arnAllowlist() []ARNAllowed {
	const (
		action = "splits an action or condition key (service:name), not an ARN"
	)
	return []ARNAllowed{
		// --help text: an example for the reader, not an ARN the code uses.
		{"cmd/iamq/policy_simulate.go", "`Usage: …`", "the usage text shows example ARNs"},
		{"cmd/iamq/policy_simulate.go", `"arn:aws:iam::123456789012:user/simulated"`, "a flag's default, shown verbatim in --help; a constant, not built"},
		{"cmd/iamq/policy_simulate.go", `strings.Cut(tv, ":")`, "splits a context value TYPE:VALUE, not an ARN"},
		{"cmd/iamq/policy_simulate.go", `strings.Cut(action, ":")`, action}, // twice: checking --action's shape and service
		{"cmd/iamq/policy_simulate.go", `"--principal %q is neither an ARN nor a service principal: give a user, role or root ARN (e.g. arn:aws:iam::123456789012:user/bob) or a service such as mq.amazonaws.com"`, "a usage error that shows an example ARN"},
		{"cmd/iamq/policy_simulate.go", `"--principal %q names no user, role, role session, federated user or root (e.g. arn:aws:iam::123456789012:user/bob)"`, "a usage error that shows an example ARN"},
		{"policy/operator.go", `strings.Cut(name, ":")`, "splits a condition operator's ForAllValues:/ForAnyValue: qualifier, not an ARN"},
		{"eval/evaluate.go", `strings.Cut(act, ":")`, action},
		{"eval/compile.go", `strings.Cut(a, ":")`, action},
		{"internal/catalog/catalog.go", `strings.Cut(name, ":")`, action},
		{"internal/catalog/expand.go", `strings.Cut(action, ":")`, action},
		{"internal/catalog/expand.go", `strings.Cut(p, ":")`, action},
		{"internal/catalog/lint.go", `strings.Cut(pattern, ":")`, action},
		{"internal/catalog/lint.go", `strings.Cut(cond.Key, ":")`, action},
		{"internal/analysis/checker.go", `strings.Cut(p, ":")`, action},
		{"internal/analysis/diff.go", `strings.Cut(p, ":")`, action},
		{"internal/iam/grants_match.go", `strings.Cut(p, ":")`, action}, // twice: Action and NotAction patterns
		{"policy/legacy.go", `strings.SplitN(clock, ":", 3)`, "splits a time of day hh:mm:ss in a Date condition value, not an ARN"},
		{"policy/legacy.go", `strings.Cut(z, ":")`, "splits a time zone offset hh:mm, not an ARN"},
		// The check itself: the text it looks for.
		{"internal/layout/arns.go", `"arn:"`, "the text this check looks for"},
	}
}

func TestNoHandBuiltARNs(t *testing.T) {
	found, unused, err := FindHandARNs("../..", arnAllowlist())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range found {
		t.Errorf("%s: an ARN built or split by hand; call package arn (or allowlist it with a reason in arns_test.go)", h)
	}
	for _, a := range unused {
		t.Errorf("allowlist entry %s %s matches nothing any more: remove it", a.File, a.Text)
	}
}

// TestHandBuiltARNIsCaught runs the check on a fixture module with one of
// each thing it must catch, and the things it must let be: comments, test
// files, package arn, an allowed literal, separators that are not ":".
func TestHandBuiltARNIsCaught(t *testing.T) {
	allow := []ARNAllowed{{"doc/doc.go", `"see arn:aws:iam::123456789012:root"`, "an example"}, {"doc/doc.go", `"arn:stale"`, "matches nothing"}}
	found, unused, err := FindHandARNs("testdata/handarnmod", allow)
	if err != nil {
		t.Fatal(err)
	}
	want := []HandARN{
		{"bad/bad.go", 9, `"arn:aws:iam::"`},
		{"bad/bad.go", 13, `s.Cut(rest, ":")`},
		{"bad/bad.go", 14, `s.CutPrefix(arn, "arn:aws:iam::" + account)`},
		{"bad/bad.go", 14, `"arn:aws:iam::"`},
		{"bad/bad.go", 18, `s.SplitN(arn, ":", 6)`},
		{"bad/bad.go", 22, "`multi …`"}, // a raw string of several lines: its first line
	}
	if !slices.Equal(found, want) {
		t.Errorf("FindHandARNs(testdata/handarnmod) =\n%v\nwant\n%v", found, want)
	}
	if len(unused) != 1 || unused[0].Text != `"arn:stale"` {
		t.Errorf("FindHandARNs(testdata/handarnmod) unused = %v, want the stale entry", unused)
	}
}
