package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// testMQRecords checks the Amazon MQ records: keys and names unique among
// live records, expiry, regions, children deleted with their parent, pages.
func testMQRecords(t *testing.T, s store.Store) {
	acct := newAccount(t, s)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	broker := func(region, id, name string) store.MQRecord {
		return store.MQRecord{Kind: store.MQBroker, Region: region, ID: id, Name: name, Created: now, Document: []byte(`{"n":"` + name + `"}`)}
	}
	update(t, s, acct, func(tx store.Tx) error {
		for i := 0; i < 5; i++ {
			if err := tx.PutMQRecord(broker("us-east-1", fmt.Sprintf("b-%d", i), fmt.Sprintf("name%d", i)), true, now); err != nil {
				return err
			}
		}
		if err := tx.PutMQRecord(broker("eu-west-1", "b-9", "name0"), true, now); err != nil {
			return err // names are unique per region only
		}
		return tx.PutMQRecord(store.MQRecord{Kind: store.MQUser, Region: "us-east-1", Parent: "b-1", ID: "alice", Created: now, Document: []byte(`{}`)}, true, now)
	})
	tests := []struct {
		name string
		r    store.MQRecord
		want error
	}{
		{"same id", broker("us-east-1", "b-1", "other"), store.ErrAlreadyExists},
		{"same name", broker("us-east-1", "b-7", "name1"), store.ErrAlreadyExists},
	}
	for _, tt := range tests {
		err := s.Update(ctx, acct, func(tx store.Tx) error { return tx.PutMQRecord(tt.r, true, now) })
		if !errors.Is(err, tt.want) {
			t.Errorf("PutMQRecord(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	if err := s.Update(ctx, acct, func(tx store.Tx) error { return tx.PutMQRecord(broker("us-east-1", "b-8", "x"), false, now) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PutMQRecord(replace a missing one) = %v, want ErrNotFound", err)
	}
	// Expire b-1 (as a finished deletion): its name and id are free after.
	update(t, s, acct, func(tx store.Tx) error {
		r := broker("us-east-1", "b-1", "name1")
		r.Expires = now.Add(time.Minute)
		return tx.PutMQRecord(r, false, now)
	})
	later := now.Add(2 * time.Minute)
	view(t, s, acct, func(tx store.Tx) error {
		if _, err := tx.MQRecord(store.MQBroker, "us-east-1", "", "b-1", now); err != nil {
			t.Errorf("MQRecord(b-1 before expiry) = %v", err)
		}
		if _, err := tx.MQRecord(store.MQBroker, "us-east-1", "", "b-1", later); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MQRecord(b-1 after expiry) = %v, want ErrNotFound", err)
		}
		return nil
	})
	update(t, s, acct, func(tx store.Tx) error { return tx.PutMQRecord(broker("us-east-1", "b-7", "name1"), true, later) })
	// An expired key is taken again too (b-6 expires, then comes back).
	update(t, s, acct, func(tx store.Tx) error {
		r := broker("us-east-1", "b-6", "six")
		r.Expires = now.Add(time.Minute)
		return tx.PutMQRecord(r, true, now)
	})
	update(t, s, acct, func(tx store.Tx) error { return tx.PutMQRecord(broker("us-east-1", "b-6", "six-again"), true, later) })
	update(t, s, acct, func(tx store.Tx) error { return tx.DeleteMQRecord(store.MQBroker, "us-east-1", "", "b-6") })
	view(t, s, acct, func(tx store.Tx) error {
		if _, err := tx.MQRecord(store.MQUser, "us-east-1", "b-1", "alice", later); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MQRecord(user of a purged broker) = %v, want ErrNotFound", err)
		}
		var got []string
		o := store.MQListOptions{Kind: store.MQBroker, Now: later, MaxItems: 2}
		for {
			p, err := tx.MQRecords(o)
			if err != nil {
				return err
			}
			for _, r := range p.Items {
				got = append(got, r.Region+"/"+r.ID)
			}
			if p.Marker == "" {
				break
			}
			o.Marker = p.Marker
		}
		want := "[eu-west-1/b-9 us-east-1/b-0 us-east-1/b-2 us-east-1/b-3 us-east-1/b-4 us-east-1/b-7]"
		if fmt.Sprint(got) != want {
			t.Errorf("MQRecords(all regions) = %v, want %s", got, want)
		}
		if _, err := tx.MQRecords(store.MQListOptions{Kind: store.MQBroker, Now: later, Marker: "forged"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("MQRecords(a forged marker) = %v, want ErrInvalid", err)
		}
		// A marker of one region's listing does not page another's.
		first, err := tx.MQRecords(store.MQListOptions{Kind: store.MQBroker, Region: "us-east-1", Now: later, MaxItems: 1})
		if err != nil {
			return err
		}
		if _, err := tx.MQRecords(store.MQListOptions{Kind: store.MQBroker, Region: "eu-west-1", Now: later, Marker: first.Marker}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("MQRecords(another region's marker) = %v, want ErrInvalid", err)
		}
		p, err := tx.MQRecords(store.MQListOptions{Kind: store.MQBroker, Region: "eu-west-1", Now: later})
		if err != nil || len(p.Items) != 1 || string(p.Items[0].Document) != `{"n":"name0"}` {
			t.Errorf("MQRecords(eu-west-1) = %+v, %v", p.Items, err)
		}
		return nil
	})
	update(t, s, acct, func(tx store.Tx) error {
		return tx.PutMQRecord(store.MQRecord{Kind: store.MQUser, Region: "us-east-1", Parent: "b-2", ID: "bob", Created: now, Document: []byte(`{}`)}, true, now)
	})
	update(t, s, acct, func(tx store.Tx) error { return tx.DeleteMQRecord(store.MQBroker, "us-east-1", "", "b-2") })
	view(t, s, acct, func(tx store.Tx) error {
		if _, err := tx.MQRecord(store.MQUser, "us-east-1", "b-2", "bob", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MQRecord(user of a deleted broker) = %v, want ErrNotFound", err)
		}
		if err := tx.PutMQRecord(broker("us-east-1", "b-5", "v"), true, now); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("PutMQRecord in a View = %v, want ErrInvalid", err)
		}
		return nil
	})
	if err := s.Update(ctx, acct, func(tx store.Tx) error { return tx.DeleteMQRecord(store.MQBroker, "us-east-1", "", "b-2") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteMQRecord(again) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
}
