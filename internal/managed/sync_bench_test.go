package managed

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSyncAll syncs every AWS managed policy's default version
// (shared/data's all-aws-managed-policies.json.gz, or the same defaults
// from the embedded library when shared/ is not beside the repository)
// into a library one version behind: each op checks and publishes about
// 1,500 steps in one transaction on a fresh SQLite store.
func BenchmarkSyncAll(b *testing.B) {
	ctx := context.Background()
	lib := cutLibrary(b, func(p *Policy) int {
		if p.VersionCount > 1 {
			return p.VersionCount - 1
		}
		return p.VersionCount
	})
	file, err := os.ReadFile(filepath.Join(sharedPolicies, "all-aws-managed-policies.json.gz"))
	if err != nil {
		b.Logf("no shared data (%v): a snapshot of the embedded defaults", err)
		all := map[string]string{}
		ps, _ := Builtin().Policies()
		for _, p := range ps {
			all[p.ARN()] = p.DefaultVersion
		}
		file = snapshotOf(b, false, all)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		reg := NewRegistry(lib, openStore(b), RegistryOptions{Now: fixedNow})
		if err := reg.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := reg.Sync(ctx, file, SyncOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Synced)), "synced/op")
	}
}
