package authz

import (
	"strconv"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// BenchmarkApplyGroupChange measures a group's change applied to a full
// cache (20,000 sets, each made with two groups and a policy): the index
// of holders finds the sets made with it, here none.
func BenchmarkApplyGroupChange(b *testing.B) {
	a := New(nil, nil, Options{})
	for i := range maxCachedSets {
		n := strconv.Itoa(i)
		a.keep(account+"\x00user\x00u"+n, cached{acct: account, entity: entity{account: account, kind: store.KindUser, name: "u" + n},
			deps: []dep{{store.KindGroup, "g" + n}, {store.KindGroup, "all"}, {store.KindPolicy, "p" + n}}})
	}
	change := []store.Change{{AccountID: account, Kind: store.KindGroup, Op: store.OpUpdate, Name: "nobody's"}}
	b.ReportAllocs()
	for b.Loop() {
		a.Apply(change)
	}
	if len(a.sets) != maxCachedSets {
		b.Fatalf("%d sets left, want %d", len(a.sets), maxCachedSets)
	}
}
