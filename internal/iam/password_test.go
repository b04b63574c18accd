package iam

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestPolicyAllows(t *testing.T) {
	data, err := os.ReadFile("testdata/password_policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name     string
		Policy   store.PasswordPolicy
		Password string
		Allowed  bool
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if got := PolicyAllows(c.Policy, c.Password); got != c.Allowed {
				t.Errorf("PolicyAllows(%+v, %q) = %v, want %v", c.Policy, c.Password, got, c.Allowed)
			}
		})
	}
}

func TestHashPassword(t *testing.T) {
	h := HashPassword("correct horse")
	if strings.Contains(h, "correct") || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("HashPassword = %q", h)
	}
	if h == HashPassword("correct horse") {
		t.Error("HashPassword twice gave one hash: no salt")
	}
	if !CheckPassword(h, "correct horse") || CheckPassword(h, "correct horsE") || CheckPassword(h, "") {
		t.Error("CheckPassword accepts a wrong password or refuses the right one")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 43),
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 43), // too costly
		"$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"} {
		if _, err := parsePHC(bad); err == nil {
			t.Errorf("parsePHC(%q) = nil error", bad)
		}
	}
}

func TestCheckPasswordBound(t *testing.T) {
	var v Validation
	if checkPassword(&v, FieldPassword, strings.Repeat("x", MaxPassword+1)) {
		t.Fatal("checkPassword accepts 129 characters")
	}
	if err := v.Err(); err == nil || strings.Contains(err.Error(), "xxx") {
		t.Fatalf("checkPassword's refusal = %v: it must not quote the password", err)
	}
	v = Validation{}
	if checkPassword(&v, FieldPassword, "tab\tok but \x01 is not") || v.Err() == nil {
		t.Fatal("checkPassword accepts a control character")
	}
}

// FuzzParsePHC checks that no stored hash text panics the parser, and that
// what it accepts is within the cost bounds.
func FuzzParsePHC(f *testing.F) {
	f.Add(HashPassword("seed"))
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=,t=,p=$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			return
		}
		if h.memory > 2*argonMemory || h.time > 2*argonTime || h.threads > 4 || len(h.key) > 64 {
			t.Fatalf("parsePHC(%q) = %+v: beyond the cost bounds", s, h)
		}
	})
}

// TestHashingSlots: a password operation waits for a hashing slot, and
// gives up when its context ends.
func TestHashingSlots(t *testing.T) {
	s := &Service{hashSlots: make(chan struct{}, 1)}
	release, err := s.hashing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.hashing(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("hashing(all slots taken, canceled) = %v, want context.Canceled", err)
	}
	release()
	if r, err := s.hashing(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("hashing(a slot free) = %v", err)
	} else if err == nil {
		r()
	}
}
