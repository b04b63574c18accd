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

// TestSweepExpiredKeys: temporary keys are deleted a day after they expire,
// not before; long-term keys stay.
func TestSweepExpiredKeys(t *testing.T) {
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
	if !strings.Contains(logs.String(), "deleted expired temporary keys") || !strings.Contains(logs.String(), "keys=1") {
		t.Errorf("log: %s", logs.String())
	}
}
