package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// race runs n goroutines of fn at once and counts nil errors and
// ErrLimitExceeded; any other error fails the test.
func race(t *testing.T, n int, fn func(i int) error) (ok, limited int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrLimitExceeded):
				limited++
			default:
				t.Errorf("goroutine %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok, limited
}

// testRaceAttach: 50 writers attach 50 different policies to one user at
// once; exactly 10 may win.
func testRaceAttach(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "u"}); return err })
	ok, limited := race(t, 50, func(i int) error {
		return s.Update(ctx, a, func(tx store.Tx) error {
			return tx.AttachPolicy(user("u"), awsPolicy(fmt.Sprintf("P%02d", i)))
		})
	})
	if ok != 10 || limited != 40 {
		t.Fatalf("attach race: %d succeeded, %d LimitExceeded; want 10 and 40", ok, limited)
	}
	view(t, s, a, func(tx store.Tx) error {
		p, err := tx.AttachedPolicies(user("u"), store.ListOptions{})
		if err != nil || len(p.Items) != 10 {
			t.Fatalf("AttachedPolicies = %d, %v; want 10", len(p.Items), err)
		}
		return nil
	})
}

// testRaceVersions: 20 writers add versions to one policy at once; exactly 4
// may win (5 versions in all).
func testRaceVersions(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error { _, err := tx.CreatePolicy(store.Policy{Name: "p"}, doc); return err })
	ok, limited := race(t, 20, func(i int) error {
		return s.Update(ctx, a, func(tx store.Tx) error {
			_, err := tx.CreatePolicyVersion("p", fmt.Sprintf(`{"i":%d}`, i), i%2 == 0)
			return err
		})
	})
	if ok != 4 || limited != 16 {
		t.Fatalf("version race: %d succeeded, %d LimitExceeded; want 4 and 16", ok, limited)
	}
	view(t, s, a, func(tx store.Tx) error {
		vs, err := tx.PolicyVersions("p")
		if err != nil || len(vs) != 5 {
			t.Fatalf("PolicyVersions = %d, %v; want 5", len(vs), err)
		}
		return nil
	})
}

// testRaceAcrossAccounts: writers in several accounts commit at once while a
// reader follows the change sequence; the reader must see every change
// exactly once, in order, with no gaps — the sequence is in commit order.
func testRaceAcrossAccounts(t *testing.T, s store.Store) {
	const accounts, writes = 4, 15
	ids := make([]string, accounts)
	for i := range ids {
		ids[i] = newAccount(t, s)
	}
	start, err := s.LastSeq(ctx)
	wantErr(t, "LastSeq", err, nil)
	done := make(chan struct{})
	var seen []int64
	var rwg sync.WaitGroup
	rwg.Add(1)
	go func() {
		defer rwg.Done()
		after := start
		for {
			select {
			case <-done:
				return
			default:
			}
			cs, err := s.Changes(ctx, after, 1000)
			if err != nil {
				t.Errorf("Changes: %v", err)
				return
			}
			for _, c := range cs {
				seen = append(seen, c.Seq)
				after = c.Seq
			}
		}
	}()
	ok, _ := race(t, accounts*writes, func(i int) error {
		return s.Update(ctx, ids[i%accounts], func(tx store.Tx) error {
			_, err := tx.CreateUser(store.User{Name: fmt.Sprintf("u%d", i)})
			return err
		})
	})
	close(done)
	rwg.Wait()
	if ok != accounts*writes {
		t.Fatalf("%d of %d writes succeeded", ok, accounts*writes)
	}
	rest, err := s.Changes(ctx, lastOr(seen, start), 1000)
	wantErr(t, "Changes(rest)", err, nil)
	for _, c := range rest {
		seen = append(seen, c.Seq)
	}
	if len(seen) != accounts*writes {
		t.Fatalf("reader saw %d changes, want %d", len(seen), accounts*writes)
	}
	for i, seq := range seen {
		if seq != start+int64(i)+1 {
			t.Fatalf("change %d has seq %d, want %d (a change was skipped or repeated)", i, seq, start+int64(i)+1)
		}
	}
}

func lastOr(xs []int64, def int64) int64 {
	if len(xs) == 0 {
		return def
	}
	return xs[len(xs)-1]
}
