package iam

import (
	"log/slog"
	"runtime"
	"sync"
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
// managed policies come from library, with the versions the service
// published since laid over it (a managed.Registry over the same store):
// they belong to the pseudo-account "aws" and are the same in every account.
type Service struct {
	store   store.Store
	library *managed.Registry
	now     func() time.Time
	log     *slog.Logger

	slrMu sync.RWMutex
	inUse map[string]RoleInUse // service principal → its check (SetRoleInUse)
	tasks sync.WaitGroup       // service-linked role deletions under way

	// hashSlots bounds the password hashes computed at once (each holds
	// 19 MiB for about 40 ms): one per CPU.
	hashSlots chan struct{}
}

// New returns a Service over st and library.
func New(st store.Store, library *managed.Library, o Options) *Service {
	s := &Service{store: st, now: o.Now, log: o.Logger, hashSlots: make(chan struct{}, runtime.GOMAXPROCS(0))}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.library = managed.NewRegistry(library, st, managed.RegistryOptions{Logger: s.log})
	return s
}

// AWSPolicies returns the AWS managed policies the Service answers with: the
// registry to hand to the authorizer (authz.New) and to start (Start, and
// OnChange with the authorizer's InvalidateAll), so that the API and
// enforcement see the same versions.
func (s *Service) AWSPolicies() *managed.Registry { return s.library }
