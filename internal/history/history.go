package history

import (
	"context"
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// ErrInvalid reports an entry or a query History refuses; nothing was
// stored. It wraps store.ErrInvalid where the store refused.
var ErrInvalid = errors.New("history: invalid")

// History is the change history of managed policies, kept in a store. It is
// safe for concurrent use.
type History struct {
	st store.Store
}

// New returns the history kept in st. It reads no clock: entries carry
// their dates, and the store stamps when it took each in.
func New(st store.Store) *History { return &History{st: st} }

// Append stores the entries whose ID is not stored yet, all or none, and
// returns how many it stored. An entry that is not well formed is
// ErrInvalid and nothing is stored.
func (h *History) Append(ctx context.Context, entries ...Entry) (int, error) {
	rows := make([]store.HistoryEntry, len(entries))
	for i := range entries {
		e := &entries[i]
		if err := e.check(); err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		data, diff, err := e.encode()
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		rows[i] = store.HistoryEntry{ID: e.ID, Key: e.sortKey(), Service: serviceColumn(e.Service), PolicyARN: e.PolicyARN, Data: data, Diff: diff}
	}
	n, err := h.st.AppendHistory(ctx, rows)
	if errors.Is(err, store.ErrInvalid) {
		return 0, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return n, err
}

// Seed is a history to store once: Check names entries it holds (their
// IDs); when all of them are stored, the seed is too (Append is all or
// none) and Build, which may be costly, is not called.
type Seed struct {
	Check []string
	// Build makes the entries; it should give up when ctx ends.
	Build func(ctx context.Context) ([]Entry, error)
}

// Seed stores s unless it is stored already, and returns how many entries
// it stored (0 when it was). Seeding again after more entries were
// appended, or by two nodes at once, stores each entry once.
func (h *History) Seed(ctx context.Context, s Seed) (int, error) {
	if len(s.Check) > 0 {
		seeded := true
		for _, id := range s.Check {
			_, err := h.st.HistoryEntry(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				seeded = false
				break
			}
			if err != nil {
				return 0, err
			}
		}
		if seeded {
			return 0, nil
		}
	}
	entries, err := s.Build(ctx)
	if err != nil {
		return 0, fmt.Errorf("history seed: %w", err)
	}
	return h.Append(ctx, entries...)
}

// NoService selects, as a Query's Service, the entries of policies of no one
// service (whose Service is "").
const NoService = "-"

// serviceColumn is what the store files an entry's service under: NoService
// for none, so that a query can ask for those alone.
func serviceColumn(service string) string {
	if service == "" {
		return NoService
	}
	return service
}

// Query selects entries, newest first.
type Query struct {
	Service   string // only this service's ("" = all; NoService: of no one service)
	PolicyARN string // only this policy's ("" = all)
	// WithDiff fills in each entry's Diff (which may list thousands of
	// actions).
	WithDiff bool
	Marker   string // from the previous Page ("" = from the newest)
	MaxItems int    // 0 = 100; at most 1000
}

// Page is one page of entries. Marker is "" on the last page.
type Page struct {
	Entries []Entry
	Marker  string
}

// List returns one page of the entries q selects, newest first. A bad marker
// or page size is ErrInvalid.
func (h *History) List(ctx context.Context, q Query) (Page, error) {
	p, err := h.st.History(ctx, store.HistoryQuery{Service: q.Service, PolicyARN: q.PolicyARN, WithDiff: q.WithDiff,
		ListOptions: store.ListOptions{Marker: q.Marker, MaxItems: q.MaxItems}})
	if errors.Is(err, store.ErrInvalid) {
		return Page{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err != nil {
		return Page{}, err
	}
	out := Page{Entries: make([]Entry, len(p.Items)), Marker: p.Marker}
	for i, row := range p.Items {
		if out.Entries[i], err = fromRow(row); err != nil {
			return Page{}, err
		}
	}
	return out, nil
}

// All returns every entry q selects (q.Marker and q.MaxItems are ignored),
// newest first.
func (h *History) All(ctx context.Context, q Query) ([]Entry, error) {
	q.Marker, q.MaxItems = "", store.MaxMaxItems
	var out []Entry
	for {
		p, err := h.List(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Entries...)
		if p.Marker == "" {
			return out, nil
		}
		q.Marker = p.Marker
	}
}

// Entry returns one entry with its diff; an unknown id wraps
// store.ErrNotFound.
func (h *History) Entry(ctx context.Context, id string) (Entry, error) {
	row, err := h.st.HistoryEntry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	return fromRow(row)
}

func fromRow(row store.HistoryEntry) (Entry, error) {
	e, err := decode(row.Data, row.Diff)
	if err != nil {
		return Entry{}, err
	}
	e.Stored = row.Stored
	return e, nil
}
