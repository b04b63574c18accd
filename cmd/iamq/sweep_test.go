package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// TestSweep: temporary keys are deleted a day after they expire, not
// before; long-term keys stay; change records older than a day go.
func TestSweep(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "iamq.db"), store.Options{KeyFile: filepath.Join(dir, "key")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const account = "111122223333"
	if _, err := st.CreateAccount(ctx, store.Account{ID: account}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	role := store.EntityRef{Kind: store.KindRole, Name: "r"}
	keys := map[string]string{} // id → what it is
	err = st.Update(ctx, account, func(tx store.Tx) error {
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
		if _, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust}); err != nil {
			return err
		}
		for what, expires := range map[string]time.Time{
			"expired two days ago": now.Add(-48 * time.Hour),
			"expired an hour ago":  now.Add(-time.Hour),
			"valid":                now.Add(time.Hour),
		} {
			k, err := tx.CreateAccessKey(store.AccessKey{Owner: role, Expires: expires, SessionToken: "tok", Session: []byte(`{}`)})
			if err != nil {
				return err
			}
			keys[k.ID] = what
		}
		k, err := tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}, Status: store.KeyActive})
		keys[k.ID] = "long-term"
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	sweepOnce(ctx, st, now, slog.New(slog.NewTextHandler(&logs, nil)))
	for id, what := range keys {
		_, err := st.AccessKey(ctx, id)
		gone := errors.Is(err, store.ErrNotFound)
		if gone != (what == "expired two days ago") {
			t.Errorf("key %s (%s): deleted %v", id, what, gone)
		}
	}
	if !strings.Contains(logs.String(), `msg="deleted expired temporary keys" count=1`) {
		t.Errorf("log: %s", logs.String())
	}
	// The records of the changes above are a few milliseconds old: a day
	// later they go, but the latest.
	last, _ := st.LastSeq(ctx)
	sweepOnce(ctx, st, time.Now().Add(changeRetention+time.Minute), slog.New(slog.DiscardHandler))
	if cs, err := st.Changes(ctx, 0, 100); err != nil || len(cs) != 1 || cs[0].Seq != last {
		t.Errorf("changes a day later: %+v, %v; want only change %d", cs, err, last)
	}
}
