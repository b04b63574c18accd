package managed

import (
	"context"
	"os"
	"strings"
	"testing"
)

// BenchmarkPublishUpdate publishes an Amazon MQ policy update, the proof
// included: AmazonMQFullAccess v6 over v5, into a fresh SQLite store each
// time (the store's opening is not timed). Target: ≤ 50 ms (issue 17).
func BenchmarkPublishUpdate(b *testing.B) {
	ctx := context.Background()
	lib := Builtin()
	doc := strings.Replace(fullV5, "%s", `,"ec2:DescribeVpcEndpoints"`, 1)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		reg := NewRegistry(lib, openStore(b), RegistryOptions{})
		if err := reg.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := reg.PublishUpdate(ctx, Update{Policy: "AmazonMQFullAccess", Document: doc, Description: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyCatalog applies a catalog in which mq launches two
// operations: ViewOnlyAccess (12 KB, 1,572 actions) gets v46, proven and
// recorded, in a fresh SQLite store each time. Target: ≤ 2 s (issue 17).
func BenchmarkApplyCatalog(b *testing.B) {
	ctx := context.Background()
	lib := Builtin()
	file, err := os.ReadFile("testdata/mq-widgets.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		reg := NewRegistry(lib, openStore(b), RegistryOptions{})
		if err := reg.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := reg.ApplyCatalog(ctx, file)
		if err != nil || len(res.Published) != 1 {
			b.Fatal(res, err)
		}
	}
}
