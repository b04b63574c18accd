package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func testListOrder(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	names := []string{"b", "A", "a-1", "a_1", "a.1", "Z", "y", "a+b", "a=b", "a,b", "a@b", "ab", "AC", "aa"}
	update(t, s, a, func(tx store.Tx) error {
		for _, n := range names {
			if _, err := tx.CreateUser(store.User{Name: n}); err != nil {
				return err
			}
		}
		return nil
	})
	want := slices.Clone(names)
	slices.SortFunc(want, func(x, y string) int { return strings.Compare(strings.ToLower(x), strings.ToLower(y)) })
	for size := 1; size <= len(names)+1; size++ {
		t.Run(fmt.Sprintf("page%d", size), func(t *testing.T) {
			view(t, s, a, func(tx store.Tx) error {
				got := listAll(t, size, func(o store.ListOptions) (store.Page[store.User], error) { return tx.Users(o) })
				var gotNames []string
				for _, u := range got {
					gotNames = append(gotNames, u.Name)
				}
				if !slices.Equal(gotNames, want) {
					t.Fatalf("Users by %d = %v, want %v", size, gotNames, want)
				}
				return nil
			})
		})
	}
	view(t, s, a, func(tx store.Tx) error {
		cases := []struct {
			name string
			o    store.ListOptions
		}{
			{"MaxItems negative", store.ListOptions{MaxItems: -1}},
			{"MaxItems too large", store.ListOptions{MaxItems: 1001}},
			{"marker not base64", store.ListOptions{Marker: "!!"}},
			{"marker forged", store.ListOptions{Marker: "Zm9v"}},
		}
		for _, c := range cases {
			_, err := tx.Users(c.o)
			wantErr(t, "Users("+c.name+")", err, store.ErrInvalid)
		}
		p, err := tx.Users(store.ListOptions{})
		wantErr(t, "Users(default)", err, nil)
		if len(p.Items) != len(names) || p.Truncated() {
			t.Fatalf("Users(default) = %d items, truncated %v", len(p.Items), p.Truncated())
		}
		return nil
	})
}

// testListUnderChurn lists users page by page, each page in its own
// transaction, while another writer inserts and deletes users whose names
// fall between the listed ones: every user that exists for the whole
// listing must appear exactly once.
func testListUnderChurn(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	const keep = 150
	update(t, s, a, func(tx store.Tx) error {
		for i := range keep {
			if _, err := tx.CreateUser(store.User{Name: fmt.Sprintf("u%04d-k", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	done := make(chan struct{})
	var wg sync.WaitGroup
	var churned atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		churn(t, s, a, keep, done, &churned)
	}()
	seen := map[string]int{}
	o := store.ListOptions{MaxItems: 7}
	for {
		var p store.Page[store.User]
		view(t, s, a, func(tx store.Tx) error {
			var err error
			p, err = tx.Users(o)
			return err
		})
		for _, u := range p.Items {
			seen[u.Name]++
		}
		if !p.Truncated() {
			break
		}
		o.Marker = p.Marker
		waitForChurn(&churned)
	}
	close(done)
	wg.Wait()
	if n := churned.Load(); n < 20 {
		t.Fatalf("the churn writer committed %d times while the listing ran, want at least 20", n)
	}
	for i := range keep {
		name := fmt.Sprintf("u%04d-k", i)
		if seen[name] != 1 {
			t.Errorf("%s seen %d times, want 1", name, seen[name])
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", name, n)
		}
	}
}

// churn inserts and deletes users named between the kept ones until done
// is closed, counting its commits.
func churn(t *testing.T, s store.Store, a string, keep int, done chan struct{}, churned *atomic.Int64) {
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		default:
		}
		j := (i * 37) % keep
		err := s.Update(ctx, a, func(tx store.Tx) error {
			if _, err := tx.CreateUser(store.User{Name: fmt.Sprintf("u%04d-c", j)}); err != nil {
				return err
			}
			if i > 3 {
				// Delete the user created three rounds before.
				return tx.DeleteUser(fmt.Sprintf("u%04d-c", (j+keep-(37*3)%keep)%keep))
			}
			return nil
		})
		if err != nil && !isExpectedChurn(err) {
			t.Errorf("churn: %v", err)
			return
		}
		if err == nil {
			churned.Add(1)
		}
	}
}

// waitForChurn waits (up to a second) until the churn writer has committed
// once more, so that every page boundary sees inserts and deletes.
func waitForChurn(churned *atomic.Int64) {
	before := churned.Load()
	for deadline := time.Now().Add(time.Second); churned.Load() == before && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
}

// isExpectedChurn accepts the churn writer's collisions with itself.
func isExpectedChurn(err error) bool {
	return strings.Contains(err.Error(), "already exists") || strings.Contains(err.Error(), "cannot be found")
}
