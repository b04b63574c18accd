package iam

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"image/png"
	"net/url"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"github.com/iamq/iamq/internal/store"
)

// A virtual MFA device is a TOTP authenticator (RFC 6238): SHA-1, six
// digits, 30-second steps, as the authenticator apps that IAM supports use
// them. Its seed is 40 random bytes: 64 Base32 characters, the length of
// the Base32StringSeed IAM returns.
const (
	seedBytes = 40
	totpStep  = 30 * time.Second
	// codeWindow is how many steps before and after now a code is accepted
	// (a phone's clock a little off).
	codeWindow = 1
	// resyncWindow is ResyncMFADevice's wider search, for a device whose
	// clock drifted.
	resyncWindow = 20
)

// Sentinel errors of MFA codes. The wire packages word them: IAM answers
// InvalidAuthenticationCode, STS AccessDenied with its own texts.
var (
	// ErrMFACode: the code (or pair of codes) is not valid for the device,
	// or was accepted before.
	ErrMFACode = errors.New("iam: invalid MFA code")
	// ErrMFADevice: no such device is assigned to the caller.
	ErrMFADevice = errors.New("iam: no such MFA device for the caller")
)

// MsgInvalidCode is IAM's text for a refused pair of codes
// (InvalidAuthenticationCode, as the IAM console relays it).
const MsgInvalidCode = "Authentication code for device is not valid."

// NewSeed returns a new random TOTP seed.
func NewSeed() []byte {
	b := make([]byte, seedBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// Base32Seed is a seed as authenticator apps take it: Base32 without
// padding.
func Base32Seed(seed []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed)
}

// QRCodePNG returns the QR code IAM returns (CreateVirtualMFADevice's
// QRCodePNG): a PNG of otpauth://totp/NAME@LABEL?secret=BASE32, where
// LABEL is the account's alias or id (IAM API Reference, VirtualMFADevice).
func QRCodePNG(name, label string, seed []byte) ([]byte, error) {
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + name + "@" + label,
		RawQuery: url.Values{"secret": {Base32Seed(seed)}}.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return nil, err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Step is the TOTP time step of t.
func Step(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// Code is the device's code for a time step.
func Code(seed []byte, step int64) string {
	c, err := hotp.GenerateCodeCustom(Base32Seed(seed), uint64(step), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		panic(err) // only a bad Base32 secret fails, and Base32Seed makes good ones
	}
	return c
}

// matchStep returns the step in [from, to] whose code is code, or -1.
func matchStep(seed []byte, code string, from, to int64) int64 {
	for s := from; s <= to; s++ {
		if subtle.ConstantTimeCompare([]byte(Code(seed, s)), []byte(code)) == 1 {
			return s
		}
	}
	return -1
}

// matchPair returns the step of code2 when code1 and code2 are the codes
// of two consecutive steps within window steps of now, later than after;
// -1 otherwise (EnableMFADevice and ResyncMFADevice: "two consecutive
// authentication codes").
func matchPair(seed []byte, code1, code2 string, now time.Time, window, after int64) int64 {
	n := Step(now)
	from := max(n-window, after+1)
	for s := from; s < n+window; s++ {
		if subtle.ConstantTimeCompare([]byte(Code(seed, s)), []byte(code1)) == 1 &&
			subtle.ConstantTimeCompare([]byte(Code(seed, s+1)), []byte(code2)) == 1 {
			return s + 1
		}
	}
	return -1
}

// VerifyMFA checks one code of the MFA device serial, which must be assigned
// to owner (a user or the root) in account, and records its step so that the
// code is not accepted twice (GetSessionToken and AssumeRole's SerialNumber
// and TokenCode). It returns ErrMFADevice or ErrMFACode.
func VerifyMFA(ctx context.Context, st store.Store, now time.Time, account string, owner store.EntityRef, serial, code string) error {
	if !isCode(code) {
		return ErrMFACode
	}
	return st.Update(ctx, account, func(tx store.Tx) error {
		d, err := tx.MFADevice(serial)
		if errors.Is(err, store.ErrNotFound) || err == nil && !sameOwner(d.Owner, owner) {
			return ErrMFADevice
		}
		if err != nil {
			return err
		}
		n := Step(now)
		s := matchStep(d.Seed, code, max(n-codeWindow, d.LastStep+1), n+codeWindow)
		if s < 0 {
			return ErrMFACode
		}
		return tx.SetMFAStep(serial, s)
	})
}

// sameOwner compares owners, user names case-insensitively as IAM has them.
func sameOwner(a, b store.EntityRef) bool {
	return a.Kind == b.Kind && (a.Kind != store.KindUser || foldEqual(a.Name, b.Name))
}

func foldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isCode reports whether s is six digits (authenticationCodeType).
func isCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
