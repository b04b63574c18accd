package iam

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/iamq/iamq/internal/store"
)

// ErrPasswordPolicy: a password the account's password policy refuses
// (PasswordPolicyViolation).
var ErrPasswordPolicy = errors.New("iam: password policy violation")

// MsgPasswordPolicy is IAM's text for a refused password, as CloudFormation
// relays it ("Password does not conform to the account password policy.",
// quoted in public stack events, e.g. GitHub ansible/ansible's iam module
// which matches on it).
const MsgPasswordPolicy = "Password does not conform to the account password policy."

// Bounds of the password parameters and the password policy (botocore IAM
// model: passwordType 1–128 characters of [\u0009\u000A\u000D\u0020-\u00FF];
// minimumPasswordLengthType 6–128, maxPasswordAgeType 1–1095,
// passwordReusePreventionType 1–24). DefaultMinPasswordLength is the
// default of UpdateAccountPasswordPolicy's MinimumPasswordLength (IAM API
// Reference) and the length IAM asks of a password when no policy is set.
const (
	MaxPassword              = 128
	MinPolicyLength          = 6
	MaxPolicyLength          = 128
	MaxPasswordAge           = 1095
	MaxReusePrevention       = store.MaxPasswordHistory
	DefaultMinPasswordLength = 6
)

// The fields of the password operations.
const (
	FieldPassword    Field = "password"
	FieldOldPassword Field = "oldPassword"
	FieldNewPassword Field = "newPassword"
)

// checkPassword bounds a password before anything costly sees it. A
// password's value never appears in a message.
func checkPassword(v *Validation, f Field, pw string) bool {
	if len(pw) > 4*MaxPassword || utf8.RuneCountInString(pw) > MaxPassword {
		v.model = append(v.model, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", f, MaxPassword))
		return false
	}
	if pw == "" {
		v.model = append(v.model, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", f))
		return false
	}
	for _, r := range pw {
		if !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF) {
			v.model = append(v.model, fmt.Sprintf(`Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`, f))
			return false
		}
	}
	return true
}

// argon2id parameters: OWASP's Password Storage Cheat Sheet's first
// recommended configuration (19 MiB, 2 iterations, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns a salted argon2id hash of pw in the PHC string form
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func HashPassword(pw string) string {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

// phc is a parsed argon2id hash.
type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parsePHC parses what HashPassword returns. It refuses parameters beyond
// twice iamq's own, so that a stored hash cannot make a check costly.
func parsePHC(s string) (phc, error) {
	bad := errors.New("iam: not an argon2id hash")
	parts := strings.Split(s, "$")
	if len(s) > 256 || len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, bad
	}
	var h phc
	var m, t, p uint64
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return phc{}, bad
	}
	for i, dst := range []*uint64{&m, &t, &p} {
		name, val, ok := strings.Cut(params[i], "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || name != []string{"m", "t", "p"}[i] {
			return phc{}, bad
		}
		*dst = n
	}
	if m < 8 || m > 2*argonMemory || t < 1 || t > 2*argonTime || p < 1 || p > 4 {
		return phc{}, bad
	}
	h.memory, h.time, h.threads = uint32(m), uint32(t), uint8(p)
	var err error
	enc := base64.RawStdEncoding
	if h.salt, err = enc.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return phc{}, bad
	}
	if h.key, err = enc.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return phc{}, bad
	}
	return h, nil
}

// hashing waits for a free hashing slot (or ctx's end) and returns its
// release: the password operations hash in it, so that a burst of them
// queues instead of holding 19 MiB each at once.
func (s *Service) hashing(ctx context.Context) (release func(), err error) {
	select {
	case s.hashSlots <- struct{}{}:
		return func() { <-s.hashSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// CheckPassword reports whether pw matches hash, in constant time.
func CheckPassword(hash, pw string) bool {
	h, err := parsePHC(hash)
	if err != nil || len(pw) > 4*MaxPassword {
		return false
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// PolicyAllows reports whether pw meets the policy's composition rules
// (IAM User Guide, "Set an account password policy for IAM users"): its
// minimum length (6 when no policy is set), and at least one character of
// each class it requires. Symbols are the ASCII ones IAM lists:
// ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '.
func PolicyAllows(p store.PasswordPolicy, pw string) bool {
	min := p.MinimumPasswordLength
	if min == 0 {
		min = DefaultMinPasswordLength
	}
	if utf8.RuneCountInString(pw) < min {
		return false
	}
	var sym, num, up, low bool
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			num = true
		case r >= 'A' && r <= 'Z':
			up = true
		case r >= 'a' && r <= 'z':
			low = true
		case strings.ContainsRune(`!@#$%^&*()_+-=[]{}|'`, r):
			sym = true
		}
	}
	return (!p.RequireSymbols || sym) && (!p.RequireNumbers || num) &&
		(!p.RequireUppercaseCharacters || up) && (!p.RequireLowercaseCharacters || low)
}

// policyOf returns the account's password policy, the zero policy when it
// has none.
func policyOf(tx store.Tx) (store.PasswordPolicy, error) {
	p, err := tx.PasswordPolicy()
	if errors.Is(err, store.ErrNotFound) {
		return store.PasswordPolicy{}, nil
	}
	return p, err
}

// newHashWith checks pw against pol, and against the profile's current and
// earlier passwords when pol prevents reuse, and returns its hash and the
// history to store with it.
func newHashWith(pol store.PasswordPolicy, pw string, old *store.LoginProfile) (hash string, history []string, err error) {
	if !PolicyAllows(pol, pw) {
		return "", nil, refuse(ErrPasswordPolicy, MsgPasswordPolicy)
	}
	prev := append([]string{old.Hash}, old.History...)
	// PasswordReusePrevention: "the number of previous passwords that IAM
	// users are prevented from reusing", the current one among them.
	for i := 0; i < pol.PasswordReusePrevention && i < len(prev); i++ {
		if CheckPassword(prev[i], pw) {
			return "", nil, refuse(ErrPasswordPolicy, MsgPasswordPolicy)
		}
	}
	if len(prev) > store.MaxPasswordHistory {
		prev = prev[:store.MaxPasswordHistory]
	}
	return HashPassword(pw), prev, nil
}

// PasswordPolicyInput is UpdateAccountPasswordPolicy's request: nil
// integers were not given (IAM's defaults apply: 6, no expiry, no reuse
// prevention).
type PasswordPolicyInput struct {
	MinimumPasswordLength   *int
	MaxPasswordAge          *int
	PasswordReusePrevention *int
	Policy                  store.PasswordPolicy // the booleans
}

// UpdateAccountPasswordPolicy sets the account's password policy; every
// parameter not given reverts to its default (no partial updates).
func (s *Service) UpdateAccountPasswordPolicy(ctx context.Context, account string, in PasswordPolicyInput) error {
	var v Validation
	p := in.Policy
	p.MinimumPasswordLength, p.MaxPasswordAge, p.PasswordReusePrevention = DefaultMinPasswordLength, 0, 0
	if in.MinimumPasswordLength != nil && v.Range("minimumPasswordLength", *in.MinimumPasswordLength, MinPolicyLength, MaxPolicyLength) {
		p.MinimumPasswordLength = *in.MinimumPasswordLength
	}
	if in.MaxPasswordAge != nil && v.Range("maxPasswordAge", *in.MaxPasswordAge, 1, MaxPasswordAge) {
		p.MaxPasswordAge = *in.MaxPasswordAge
	}
	if in.PasswordReusePrevention != nil && v.Range("passwordReusePrevention", *in.PasswordReusePrevention, 1, MaxReusePrevention) {
		p.PasswordReusePrevention = *in.PasswordReusePrevention
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.PutPasswordPolicy(p) })
}

// GetAccountPasswordPolicy returns the account's password policy
// (NoSuchEntity when it has none).
func (s *Service) GetAccountPasswordPolicy(ctx context.Context, account string) (store.PasswordPolicy, error) {
	var p store.PasswordPolicy
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.PasswordPolicy()
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return p, noSuchEntity("The Password Policy with domain name %s cannot be found.", account)
	}
	return p, err
}

// DeleteAccountPasswordPolicy removes the account's password policy.
func (s *Service) DeleteAccountPasswordPolicy(ctx context.Context, account string) error {
	err := s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeletePasswordPolicy() })
	if errors.Is(err, store.ErrNotFound) {
		return noSuchEntity("The Password Policy with domain name %s cannot be found.", account)
	}
	return err
}
