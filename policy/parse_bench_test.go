package policy

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// BenchmarkParseValidate parses and validates three documents: a 6 KB
// customer policy (target ≤ 50 µs), ViewOnlyAccess v45 (12 KB) and
// ReadOnlyAccess v188 (91 KB, target ≤ 2 ms). Figures: docs/benchmarks.md.
func BenchmarkParseValidate(b *testing.B) {
	docs := []struct{ name, text string }{}
	customer, err := os.ReadFile(filepath.Join("testdata", "bench", "customer-6k.json"))
	if err != nil {
		b.Fatal(err)
	}
	docs = append(docs, struct{ name, text string }{"customer-6KB", string(customer)})
	for _, m := range []struct{ file, policy, version string }{
		{"ViewOnlyAccess.json", "ViewOnlyAccess", "v45"},
		{"ReadOnlyAccess.versions.json.gz", "ReadOnlyAccess", "v188"},
	} {
		for _, v := range loadFileOrSkip(b, filepath.Join(sharedData, m.file)) {
			if v.Policy == m.policy && v.Version == m.version {
				docs = append(docs, struct{ name, text string }{m.policy + "-" + m.version, v.text(b)})
			}
		}
	}
	for _, d := range docs {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(d.text)))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu := cpuTime(b)
			n := 0
			for b.Loop() {
				doc, err := Parse(d.text)
				if err != nil {
					b.Fatal(err)
				}
				if fs := doc.Validate(KindIdentity); HasErrors(fs) {
					b.Fatal(fs)
				}
				n++
			}
			b.ReportMetric(float64(cpuTime(b)-cpu)/float64(n), "cpu-ns/op")
		})
	}
}

// BenchmarkPrint writes the canonical form of the 6 KB customer policy.
func BenchmarkPrint(b *testing.B) {
	customer, err := os.ReadFile(filepath.Join("testdata", "bench", "customer-6k.json"))
	if err != nil {
		b.Fatal(err)
	}
	d, err := Parse(string(customer))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Print(d)
	}
}

// cpuTime returns the CPU time the calling OS thread has used, in
// nanoseconds (the caller locks its goroutine to the thread). On a shared
// machine ns/op counts the time other processes held the CPU; cpu-ns/op
// (this thread's CPU time over operations) does not, though it still pays
// for cache misses that the other load causes. Background garbage collection
// on other threads is not counted; allocation and GC assists are.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// rusageThread is RUSAGE_THREAD (Linux), which package syscall does not name.
const rusageThread = 1
