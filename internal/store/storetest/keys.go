package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func testAccessKeys(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	root := store.EntityRef{Kind: store.KindAccount}
	var k1 store.AccessKey
	update(t, s, a, func(tx store.Tx) error {
		var err error
		k1, err = tx.CreateAccessKey(store.AccessKey{Owner: root, ID: "AKIAROOTEXPLICIT0001", Secret: "root-secret"})
		wantErr(t, "CreateAccessKey(root)", err, nil)
		_, err = tx.CreateAccessKey(store.AccessKey{Owner: root, ID: "AKIAROOTEXPLICIT0001"})
		wantErr(t, "CreateAccessKey(same id)", err, store.ErrAlreadyExists)
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		for range 2 {
			k, err := tx.CreateAccessKey(store.AccessKey{Owner: user("U")})
			wantErr(t, "CreateAccessKey(user)", err, nil)
			if len(k.ID) != 20 || !strings.HasPrefix(k.ID, "AKIA") || len(k.Secret) != 40 || k.Status != store.KeyActive {
				t.Fatalf("CreateAccessKey = %+v", k)
			}
		}
		_, err = tx.CreateAccessKey(store.AccessKey{Owner: user("u")})
		wantErr(t, "CreateAccessKey(3rd)", err, store.ErrLimitExceeded)
		wantMessage(t, "CreateAccessKey(3rd)", err, "Cannot exceed quota for AccessKeysPerUser: 2")
		_, err = tx.CreateAccessKey(store.AccessKey{Owner: user("nobody")})
		wantErr(t, "CreateAccessKey(nobody)", err, store.ErrNotFound)
		return nil
	})
	got, err := s.AccessKey(ctx, k1.ID)
	wantErr(t, "AccessKey(root)", err, nil)
	if got.Secret != "root-secret" || got.Owner.Kind != store.KindAccount || got.AccountID != a || got.Temporary() {
		t.Fatalf("AccessKey(root) = %+v", got)
	}
	_, err = s.AccessKey(ctx, "AKIANOSUCHKEY0000000")
	wantErr(t, "AccessKey(missing)", err, store.ErrNotFound)

	var keys []store.AccessKey
	update(t, s, a, func(tx store.Tx) error {
		var err error
		keys, err = tx.AccessKeys(user("u"))
		wantErr(t, "AccessKeys", err, nil)
		if len(keys) != 2 || keys[0].Secret != "" || keys[0].Owner.Name != "u" {
			t.Fatalf("AccessKeys = %+v", keys)
		}
		wantErr(t, "UpdateAccessKey", tx.UpdateAccessKey(keys[0].ID, store.KeyInactive), nil)
		wantErr(t, "UpdateAccessKey(bad)", tx.UpdateAccessKey(keys[0].ID, "Paused"), store.ErrInvalid)
		wantErr(t, "UpdateAccessKey(other account's)", tx.UpdateAccessKey("AKIANOSUCHKEY0000000", store.KeyActive), store.ErrNotFound)
		// A rename keeps the key's owner.
		_, err = tx.UpdateUser("u", store.User{Name: "renamed"})
		return err
	})
	got, err = s.AccessKey(ctx, keys[0].ID)
	wantErr(t, "AccessKey(user)", err, nil)
	if got.Status != store.KeyInactive || got.Owner.Name != "renamed" || got.Owner.Kind != store.KindUser || len(got.Secret) != 40 {
		t.Fatalf("AccessKey(user) = %+v", got)
	}
	used := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	wantErr(t, "RecordKeyUse", s.RecordKeyUse(ctx, []store.KeyUse{{AccessKeyID: got.ID, Time: used, Service: "iam", Region: "us-east-1"}}), nil)
	wantErr(t, "RecordKeyUse(older)", s.RecordKeyUse(ctx, []store.KeyUse{{AccessKeyID: got.ID, Time: used.Add(-time.Hour), Service: "sts"}}), nil)
	got, _ = s.AccessKey(ctx, got.ID)
	if !got.LastUsed.Equal(used) || got.LastUsedService != "iam" || got.LastUsedRegion != "us-east-1" {
		t.Fatalf("last used = %v %s %s", got.LastUsed, got.LastUsedService, got.LastUsedRegion)
	}

	update(t, s, a, func(tx store.Tx) error { return tx.DeleteAccessKey(keys[1].ID) })
	_, err = s.AccessKey(ctx, keys[1].ID)
	wantErr(t, "AccessKey(deleted)", err, store.ErrNotFound)
}

// testTemporaryKeys: a role session's keys, with a token and opaque session
// data, outside the quota, deleted once expired.
func testTemporaryKeys(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	var tmp store.AccessKey
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust}); err != nil {
			return err
		}
		_, err := tx.CreateAccessKey(store.AccessKey{Owner: role("r")})
		wantErr(t, "CreateAccessKey(role, long-term)", err, store.ErrInvalid)
		for range 3 { // no quota for temporary keys
			tmp, err = tx.CreateAccessKey(store.AccessKey{Owner: role("r"), Expires: exp, SessionToken: "tok", Session: []byte(`{"s":1}`)})
			wantErr(t, "CreateAccessKey(temporary)", err, nil)
		}
		return nil
	})
	got, err := s.AccessKey(ctx, tmp.ID)
	wantErr(t, "AccessKey(temporary)", err, nil)
	if !strings.HasPrefix(got.ID, "ASIA") || !got.Expires.Equal(exp) || got.SessionToken != "tok" ||
		string(got.Session) != `{"s":1}` || got.Owner.Name != "r" || !got.Temporary() {
		t.Fatalf("AccessKey(temporary) = %+v", got)
	}
	n, err := s.DeleteExpiredKeys(ctx, exp.Add(time.Second))
	if err != nil || n != 3 {
		t.Fatalf("DeleteExpiredKeys = %d, %v; want 3", n, err)
	}
	_, err = s.AccessKey(ctx, tmp.ID)
	wantErr(t, "AccessKey(expired, deleted)", err, store.ErrNotFound)
}

func testChanges(t *testing.T, s store.Store) {
	start, err := s.LastSeq(ctx)
	wantErr(t, "LastSeq", err, nil)
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	notes := s.Subscribe(sub)
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		return tx.AttachPolicy(user("u"), awsPolicy("ReadOnlyAccess"))
	})
	// A failed transaction records nothing.
	boom := errors.New("boom")
	err = s.Update(ctx, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "v"}); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "Update(failing)", err, boom)
	// A transaction that writes nothing records nothing.
	update(t, s, a, func(tx store.Tx) error { return tx.AttachPolicy(user("u"), awsPolicy("ReadOnlyAccess")) })

	cs, err := s.Changes(ctx, start, 100)
	wantErr(t, "Changes", err, nil)
	want := []store.Change{
		{AccountID: a, Kind: store.KindAccount, Op: store.OpCreate, Name: a},
		{AccountID: a, Kind: store.KindUser, Op: store.OpCreate, Name: "u"},
		{AccountID: a, Kind: store.KindUser, Op: store.OpUpdate, Name: "u"},
	}
	if len(cs) != len(want) {
		t.Fatalf("Changes = %+v, want %+v", cs, want)
	}
	for i, c := range cs {
		if c.Seq != start+int64(i)+1 || c.Time.IsZero() {
			t.Errorf("Changes[%d] = %+v, want seq %d", i, c, start+int64(i)+1)
		}
		c.Seq, c.Time = 0, time.Time{}
		if c != want[i] {
			t.Errorf("Changes[%d] = %+v, want %+v", i, c, want[i])
		}
	}
	last, _ := s.LastSeq(ctx)
	if last != start+3 {
		t.Fatalf("LastSeq = %d, want %d", last, start+3)
	}
	select {
	case seq := <-notes:
		if seq < start+1 || seq > last {
			t.Fatalf("Subscribe got %d, want within %d..%d", seq, start+1, last)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Subscribe: no notification within 5s")
	}
	cs, _ = s.Changes(ctx, start, 1)
	if len(cs) != 1 {
		t.Fatalf("Changes(limit 1) = %d changes", len(cs))
	}
	_, err = s.Changes(ctx, 0, 0)
	wantErr(t, "Changes(limit 0)", err, store.ErrInvalid)
}

func testTransactions(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	// A failed Update leaves nothing behind.
	err := s.Update(ctx, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "ghost"}); err != nil {
			return err
		}
		return errors.New("abort")
	})
	if err == nil || err.Error() != "abort" {
		t.Fatalf("Update = %v, want abort", err)
	}
	view(t, s, a, func(tx store.Tx) error {
		_, err := tx.User("ghost")
		wantErr(t, "User(ghost)", err, store.ErrNotFound)
		return nil
	})
	// A transaction sees its own writes.
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "seen"}); err != nil {
			return err
		}
		_, err := tx.User("seen")
		return err
	})
	view(t, s, a, func(tx store.Tx) error {
		sum, err := tx.Summary()
		wantErr(t, "Summary", err, nil)
		if sum.Users != 1 || sum.Groups != 0 {
			t.Fatalf("Summary = %+v", sum)
		}
		if tx.Account().ID != a {
			t.Fatalf("Account() = %+v", tx.Account())
		}
		return nil
	})
}

// testPruneChanges: pruning deletes old changes but the latest; a cursor
// that had not read them is told that everything changed, then goes on
// without gaps.
func testPruneChanges(t *testing.T, s store.Store) {
	behind := store.NewCursor(s) // has read nothing
	a := newAccount(t, s)
	for _, n := range []string{"a", "b", "c"} {
		update(t, s, a, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: n}); return err })
	}
	last, err := s.LastSeq(ctx)
	wantErr(t, "LastSeq", err, nil)
	n, err := s.PruneChanges(ctx, time.Now().Add(time.Hour))
	if err != nil || int64(n) != last-1 {
		t.Fatalf("PruneChanges = %d, %v; want %d deleted", n, err, last-1)
	}
	if cs, err := s.Changes(ctx, 0, 100); err != nil || len(cs) != 1 || cs[0].Seq != last || cs[0].Name != "c" {
		t.Fatalf("Changes after pruning = %+v, %v; want only the latest", cs, err)
	}
	if got, _ := s.LastSeq(ctx); got != last {
		t.Fatalf("LastSeq after pruning = %d, want %d", got, last)
	}
	var got []store.Change
	collect := func(cs []store.Change) { got = append(got, cs...) }
	wantErr(t, "Sync", behind.Sync(ctx, collect), nil)
	if len(got) != 2 || got[0].Kind != store.KindAll || got[0].Op != store.OpPruned || got[0].Seq != last-1 || got[1].Seq != last {
		t.Fatalf("a cursor behind the pruned changes got %+v, want everything-changed then change %d", got, last)
	}
	if n, err := s.PruneChanges(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("PruneChanges(an hour ago) = %d, %v; want none", n, err)
	}
	update(t, s, a, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "d"}); return err })
	got = nil
	wantErr(t, "Sync", behind.Sync(ctx, collect), nil)
	if len(got) != 1 || got[0].Name != "d" || got[0].Seq != last+1 {
		t.Fatalf("after pruning, Sync got %+v, want change %d for d", got, last+1)
	}
}
