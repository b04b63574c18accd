package iam

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// TestCode checks the TOTP codes against RFC 6238's SHA-1 test vectors (the
// last six digits of its eight).
func TestCode(t *testing.T) {
	seed := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		if got := Code(seed, Step(time.Unix(c.unix, 0))); got != c.want {
			t.Errorf("Code(RFC 6238 seed, %d) = %s, want %s", c.unix, got, c.want)
		}
	}
}

func TestMatchPair(t *testing.T) {
	seed := NewSeed()
	now := time.Unix(1_800_000_000, 0)
	n := Step(now)
	for _, c := range []struct {
		name         string
		code1, code2 string
		after        int64
		want         int64
	}{
		{"now and the step before", Code(seed, n-1), Code(seed, n), 0, n},
		{"now and the step after", Code(seed, n), Code(seed, n+1), 0, n + 1},
		{"swapped", Code(seed, n), Code(seed, n-1), 0, -1},
		{"not consecutive", Code(seed, n-1), Code(seed, n+1), 0, -1},
		{"too old", Code(seed, n-5), Code(seed, n-4), 0, -1},
		{"used before", Code(seed, n-1), Code(seed, n), n, -1},
	} {
		if got := matchPair(seed, c.code1, c.code2, now, codeWindow+1, c.after); got != c.want {
			t.Errorf("matchPair(%s) = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestVerifyMFA: a code is accepted once, only from its owner's device.
func TestVerifyMFA(t *testing.T) { forEachBackend(t, testVerifyMFA) }

func testVerifyMFA(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	now := s.now() // the test service's fixed clock
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "ann"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.CreateVirtualMFADevice(ctx, testAccount, "ann", "", testAccount, nil)
	if err != nil {
		t.Fatal(err)
	}
	seed, serial, ann := d.Device.Seed, d.Device.SerialNumber, store.EntityRef{Kind: store.KindUser, Name: "ann"}
	n := Step(now)
	if err := s.EnableMFADevice(ctx, testAccount, ann, serial, Code(seed, n-2), Code(seed, n-1)); err != nil {
		t.Fatal(err)
	}
	root := store.EntityRef{Kind: store.KindAccount}
	for _, c := range []struct {
		name  string
		owner store.EntityRef
		code  string
		want  error
	}{
		{"not the root's", root, Code(seed, n), ErrMFADevice},
		{"a step used by EnableMFADevice", ann, Code(seed, n-1), ErrMFACode},
		{"not digits", ann, "abcdef", ErrMFACode},
		{"now", ann, Code(seed, n), nil},
		{"now, again", ann, Code(seed, n), ErrMFACode},
		{"the next step", ann, Code(seed, n+1), nil},
	} {
		if err := VerifyMFA(ctx, st, now, testAccount, c.owner, serial, c.code); !errors.Is(err, c.want) && err != c.want {
			t.Errorf("VerifyMFA(%s) = %v, want %v", c.name, err, c.want)
		}
	}
	if err := VerifyMFA(ctx, st, now, testAccount, ann, serial+"x", Code(seed, n+1)); !errors.Is(err, ErrMFADevice) {
		t.Errorf("VerifyMFA(no such device) = %v", err)
	}
}

// TestVerifyMFARace: one code sent by many callers at once is accepted
// exactly once.
func TestVerifyMFARace(t *testing.T) { forEachBackend(t, testVerifyMFARace) }

func testVerifyMFARace(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	now := s.now()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "ann"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.CreateVirtualMFADevice(ctx, testAccount, "ann", "", testAccount, nil)
	if err != nil {
		t.Fatal(err)
	}
	ann, n := store.EntityRef{Kind: store.KindUser, Name: "ann"}, Step(now)
	if err := s.EnableMFADevice(ctx, testAccount, ann, d.Device.SerialNumber, Code(d.Device.Seed, n-2), Code(d.Device.Seed, n-1)); err != nil {
		t.Fatal(err)
	}
	const callers = 8
	errs := make(chan error, callers)
	for range callers {
		go func() {
			errs <- VerifyMFA(ctx, st, now, testAccount, ann, d.Device.SerialNumber, Code(d.Device.Seed, n))
		}()
	}
	accepted := 0
	for range callers {
		switch err := <-errs; {
		case err == nil:
			accepted++
		case !errors.Is(err, ErrMFACode) && !errors.Is(err, store.ErrConflict):
			t.Errorf("VerifyMFA = %v", err)
		}
	}
	if accepted != 1 {
		t.Fatalf("one code sent %d times at once was accepted %d times, want once", callers, accepted)
	}
}
