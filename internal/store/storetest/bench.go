package storetest

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// BenchOpener opens a new, empty store for one benchmark and says how big
// its database is (0 when unknown).
type BenchOpener func(b *testing.B) (s store.Store, size func() int64)

// Bench runs the small benchmarks against the backend open makes: create a
// user, attach a policy, read a user, look up an access key, and list 1,000
// users by pages of 100.
func Bench(b *testing.B, open BenchOpener) {
	b.Run("CreateUser", func(b *testing.B) { benchCreateUser(b, open) })
	b.Run("AttachPolicy", func(b *testing.B) { benchAttachPolicy(b, open) })
	b.Run("ListUsers1000", func(b *testing.B) { benchListUsers(b, open) })
	b.Run("GetUser", func(b *testing.B) { benchGetUser(b, open) })
	b.Run("AccessKey", func(b *testing.B) { benchAccessKey(b, open) })
}

func benchCreateUser(b *testing.B, open BenchOpener) {
	s, _ := open(b)
	a := newAccount(b, s)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Update(ctx, a, func(tx store.Tx) error {
			_, err := tx.CreateUser(store.User{Name: fmt.Sprintf("u%d", i)})
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAttachPolicy(b *testing.B, open BenchOpener) {
	s, _ := open(b)
	a := newAccount(b, s)
	users := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%10 == 0 { // a fresh user every 10 attachments, within the quota
			b.StopTimer()
			bulkUsers(b, s, a, users, users+1)
			users++
			b.StartTimer()
		}
		if err := s.Update(ctx, a, func(tx store.Tx) error {
			return tx.AttachPolicy(user(fmt.Sprintf("u%07d", users-1)), awsPolicy(fmt.Sprintf("P%d", i%10)))
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchListUsers(b *testing.B, open BenchOpener) {
	s, _ := open(b)
	a := newAccount(b, s)
	bulkUsers(b, s, a, 0, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if n := listUsers(b, s, a, 100); n != 1000 {
			b.Fatalf("listed %d users, want 1000", n)
		}
	}
}

func benchGetUser(b *testing.B, open BenchOpener) {
	s, _ := open(b)
	a := newAccount(b, s)
	bulkUsers(b, s, a, 0, 1000)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		getUser(b, s, a, fmt.Sprintf("u%07d", i%1000))
	}
}

func benchAccessKey(b *testing.B, open BenchOpener) {
	s, _ := open(b)
	a := newAccount(b, s)
	var id string
	update(b, s, a, func(tx store.Tx) error {
		k, err := tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}})
		id = k.ID
		return err
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AccessKey(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// bulkUsers creates users u<from>…u<to-1> in transactions of 500.
func bulkUsers(tb testing.TB, s store.Store, account string, from, to int) {
	tb.Helper()
	for lo := from; lo < to; lo += 500 {
		update(tb, s, account, func(tx store.Tx) error {
			for i := lo; i < min(lo+500, to); i++ {
				if _, err := tx.CreateUser(store.User{Name: fmt.Sprintf("u%07d", i)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// listUsers lists every user of an account by pages and counts them.
func listUsers(tb testing.TB, s store.Store, account string, page int) int {
	n := 0
	o := store.ListOptions{MaxItems: page}
	for {
		var p store.Page[store.User]
		view(tb, s, account, func(tx store.Tx) error {
			var err error
			p, err = tx.Users(o)
			return err
		})
		n += len(p.Items)
		if !p.Truncated() {
			return n
		}
		o.Marker = p.Marker
	}
}

// getUser reads one user in its own transaction.
func getUser(tb testing.TB, s store.Store, account, name string) {
	view(tb, s, account, func(tx store.Tx) error {
		_, err := tx.User(name)
		return err
	})
}

// ScaleEnv turns the scale run on: it takes minutes and is in no test
// command (see docs/benchmarks.md).
const ScaleEnv = "IAMQ_BENCH_SCALE"

// Scale sizes: 100,000 users across 20 accounts (AWS allows 5,000 per
// account), 500 customer policies per account (10,000 in all) and 5
// attachments per user (500,000 in all).
const (
	scaleAccounts        = 20
	scaleUsersPerAccount = 5000
	scalePolicies        = 500
	scaleAttachPerUser   = 5
)

// BenchScale bulk-loads the scale data set in batched transactions, reports
// the load time and database size, then times single reads and list pages
// at that size. It runs only when IAMQ_BENCH_SCALE is set.
func BenchScale(b *testing.B, open BenchOpener) {
	if os.Getenv(ScaleEnv) == "" {
		b.Skip("set " + ScaleEnv + "=1 for the scale run (minutes)")
	}
	s, size := open(b)
	start := time.Now()
	accounts := make([]string, scaleAccounts)
	for i := range accounts {
		accounts[i] = fmt.Sprintf("%012d", 100000000000+i)
		if _, err := s.CreateAccount(ctx, store.Account{ID: accounts[i]}); err != nil {
			b.Fatal(err)
		}
		loadAccount(b, s, accounts[i])
	}
	load := time.Since(start)
	// Printed, not logged: a benchmark with sub-benchmarks reports no
	// metrics of its own, and its log shows only with -v.
	fmt.Printf("scale load: %d users, %d policies, %d attachments in %v; database %.0f MiB\n",
		scaleAccounts*scaleUsersPerAccount, scaleAccounts*scalePolicies,
		scaleAccounts*scaleUsersPerAccount*scaleAttachPerUser, load.Round(time.Second), float64(size())/(1<<20))
	a := accounts[scaleAccounts/2]
	timeReads(b, s, a)
}

// loadAccount fills one account: users in batches of 500, each with
// scaleAttachPerUser attachments of the account's customer policies.
func loadAccount(b *testing.B, s store.Store, a string) {
	update(b, s, a, func(tx store.Tx) error {
		for p := range scalePolicies {
			if _, err := tx.CreatePolicy(store.Policy{Name: fmt.Sprintf("pol%05d", p)}, doc); err != nil {
				return err
			}
		}
		return nil
	})
	const batch = 500
	for lo := 0; lo < scaleUsersPerAccount; lo += batch {
		update(b, s, a, func(tx store.Tx) error {
			for i := lo; i < lo+batch; i++ {
				name := fmt.Sprintf("u%07d", i)
				if _, err := tx.CreateUser(store.User{Name: name}); err != nil {
					return err
				}
				for k := range scaleAttachPerUser {
					arn := store.PolicyARN(a, "/", fmt.Sprintf("pol%05d", (i*7+k*101)%scalePolicies))
					if err := tx.AttachPolicy(user(name), arn); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
}

// timeReads times the reads that a request makes at scale.
func timeReads(b *testing.B, s store.Store, a string) {
	markers := pageMarkers(b, s, a, 100)
	reads := []struct {
		name string
		fn   func(i int) error
	}{
		{"GetUser", func(i int) error {
			return s.View(ctx, a, func(tx store.Tx) error {
				_, err := tx.User(fmt.Sprintf("u%07d", i*7919%scaleUsersPerAccount))
				return err
			})
		}},
		{"GetPolicy", func(i int) error { // with its live attachment count
			return s.View(ctx, a, func(tx store.Tx) error { _, err := tx.Policy(fmt.Sprintf("pol%05d", i%scalePolicies)); return err })
		}},
		{"AttachedUserPolicies", func(i int) error {
			return s.View(ctx, a, func(tx store.Tx) error {
				_, err := tx.AttachedPolicies(user(fmt.Sprintf("u%07d", i*7919%scaleUsersPerAccount)), store.ListOptions{})
				return err
			})
		}},
		{"ListUsersPage100", func(i int) error { // every page in turn
			return s.View(ctx, a, func(tx store.Tx) error {
				_, err := tx.Users(store.ListOptions{MaxItems: 100, Marker: markers[i%len(markers)]})
				return err
			})
		}},
		{"ListPoliciesPage100", func(i int) error {
			return s.View(ctx, a, func(tx store.Tx) error {
				_, err := tx.Policies(store.PolicyListOptions{ListOptions: store.ListOptions{MaxItems: 100}})
				return err
			})
		}},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				if err := r.fn(i); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// pageMarkers returns the marker of every page of an account's users.
func pageMarkers(tb testing.TB, s store.Store, account string, page int) []string {
	markers := []string{""}
	o := store.ListOptions{MaxItems: page}
	for {
		var p store.Page[store.User]
		view(tb, s, account, func(tx store.Tx) error {
			var err error
			p, err = tx.Users(o)
			return err
		})
		if !p.Truncated() {
			return markers
		}
		markers = append(markers, p.Marker)
		o.Marker = p.Marker
	}
}
