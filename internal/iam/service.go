package iam

import (
	"log/slog"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// Options configure a Service. The zero value is the default.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives operational logs; nil discards them.
	Logger *slog.Logger
}

// Service runs the IAM operations of every account over one store. The AWS
// managed policies come from library, not from the store: they belong to the
// pseudo-account "aws" and are the same in every account.
type Service struct {
	store   store.Store
	library *managed.Library
	now     func() time.Time
	log     *slog.Logger
}

// New returns a Service over st and library.
func New(st store.Store, library *managed.Library, o Options) *Service {
	s := &Service{store: st, library: library, now: o.Now, log: o.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}
