package analysis_test

import (
	"testing"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/policy"
)

// history returns the parsed recovered versions of a managed policy, oldest
// first.
func history(b *testing.B, policyARN string) []*policy.Document {
	b.Helper()
	lib := managed.Builtin()
	p, ok := lib.Lookup(policyARN)
	if !ok {
		b.Fatalf("no managed policy %s", policyARN)
	}
	var out []*policy.Document
	for _, v := range p.Versions {
		text, err := lib.Document(p, v.ID)
		if err != nil {
			b.Fatal(err)
		}
		d, err := policy.Parse(text)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// BenchmarkCovers measures one check of two versions: AmazonMQFullAccess
// v4→v5 (proven), and ReadOnlyAccess v68→v69 (the largest removal, a
// counterexample).
func BenchmarkCovers(b *testing.B) {
	for _, bc := range []struct {
		name, arn string
		from      int
		want      analysis.Verdict
	}{
		{"AmazonMQFullAccess-v4-v5", "arn:aws:iam::aws:policy/AmazonMQFullAccess", 3, analysis.Proven},
		{"ReadOnlyAccess-v68-v69", "arn:aws:iam::aws:policy/ReadOnlyAccess", 67, analysis.Counterexample},
	} {
		b.Run(bc.name, func(b *testing.B) {
			docs := history(b, bc.arn)
			a, c := docs[bc.from], docs[bc.from+1]
			analysis.Covers(a, c, analysis.Options{}) // the catalog, decoded once per process
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if got := analysis.Covers(a, c, analysis.Options{}); got.Verdict != bc.want {
					b.Fatalf("Covers = %v, want %v", got.Verdict, bc.want)
				}
			}
		})
	}
}

// BenchmarkReplay measures a whole history: every recovered version of the
// policy against the next (ReadOnlyAccess: 150 comparisons of documents up
// to 91 KB), documents parsed beforehand.
func BenchmarkReplay(b *testing.B) {
	for _, bc := range []struct{ name, arn string }{
		{"ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"},
		{"ViewOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			docs := history(b, bc.arn)
			analysis.Covers(docs[0], docs[1], analysis.Options{})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				for i := 1; i < len(docs); i++ {
					analysis.Covers(docs[i-1], docs[i], analysis.Options{})
				}
			}
			b.ReportMetric(float64(len(docs)-1), "comparisons/op")
		})
	}
}

// BenchmarkDiff measures the semantic diff of AmazonMQFullAccess v4→v5 and
// of ReadOnlyAccess v187→v188.
func BenchmarkDiff(b *testing.B) {
	for _, bc := range []struct {
		name, arn string
		from      int
	}{
		{"AmazonMQFullAccess-v4-v5", "arn:aws:iam::aws:policy/AmazonMQFullAccess", 3},
		{"ReadOnlyAccess-last", "arn:aws:iam::aws:policy/ReadOnlyAccess", -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			docs := history(b, bc.arn)
			from := bc.from
			if from < 0 {
				from = len(docs) - 2
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				analysis.Diff(docs[from], docs[from+1], analysis.Options{})
			}
		})
	}
}
