package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxSkew is how far a request time may be from the server's clock (and how
// long a presigned URL lives at most).
const MaxSkew = 15 * time.Minute

// timeFormat is the ISO 8601 basic format of X-Amz-Date.
const timeFormat = "20060102T150405Z"

// ErrUnknownKey is what a [Lookup] returns (wrapped or not) for an access key
// id it does not know or that is not active; the request is then refused with
// InvalidClientTokenId.
var ErrUnknownKey = errors.New("sigv4: unknown access key")

// Key is what a [Lookup] knows of an access key.
type Key struct {
	Secret string
	// SessionToken is set for temporary credentials: the request must carry
	// exactly this X-Amz-Security-Token. For a long-term key it is empty and a
	// request carrying a token is refused.
	SessionToken string
	// Expires is when temporary credentials stop working; zero means never.
	Expires time.Time
	// Owner is carried through to [Result] untouched, for the caller's use
	// (iamq's server puts the identity there).
	Owner any
}

// Lookup finds the key for an access key id. It returns [ErrUnknownKey] for an
// id it does not know; any other error fails the request as a server fault.
type Lookup func(ctx context.Context, accessKeyID string) (Key, error)

// Options configure a [Verifier]; the zero value is the default.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CheckScope, when set, vets the credential scope's region and service
	// before the key is looked up; return [InvalidRegion] or [WrongService].
	CheckScope func(region, service string) error
}

// Verifier checks SigV4 signatures. It is safe for concurrent use.
type Verifier struct {
	lookup Lookup
	opts   Options
	keys   keyCache
	bufs   sync.Pool // *[]byte scratch for canonical requests
}

// New returns a Verifier that finds keys with lookup.
func New(lookup Lookup, o Options) *Verifier {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Verifier{lookup: lookup, opts: o}
}

// Result describes a verified request.
type Result struct {
	Scope     Scope     // access key id, date, region, service
	Time      time.Time // the signed request time
	Presigned bool      // signed in the query string rather than the header
	Key       Key       // what the lookup returned
}

// signed gathers what the two forms of signing have in common.
type signed struct {
	scope         Scope
	amzDate       string // as signed: YYYYMMDDTHHMMSSZ
	dateFrom      string // the header or parameter that carried the date
	when          time.Time
	signedHeaders string
	signature     string
	token         string
	query         string // canonical
	presigned     bool
}

// Verify checks the signature of r, whose body has been read into body (nil
// for none). It returns an *[Error] for a refused request, or the lookup's own
// error when the lookup failed for another reason than [ErrUnknownKey].
// It is [Verifier.Begin] and [Pending.Finish] in one.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (Result, error) {
	p, err := v.Begin(ctx, r)
	if err != nil {
		return Result{}, err
	}
	return p.Finish(r, sha256.Sum256(body))
}

// Pending is a request whose headers [Verifier.Begin] has checked and whose
// body has not been read yet.
type Pending struct {
	v   *Verifier
	s   signed
	key Key
}

// Begin checks all of the request that does not need its body: the form of
// its signature, its time and scope, its access key (looked up) and security
// token. A server calls it before reading a body, so that a request naming no
// key it knows costs no more than its headers. Errors are as [Verifier.Verify]'s.
func (v *Verifier) Begin(ctx context.Context, r *http.Request) (Pending, error) {
	p := Pending{v: v}
	var err error
	switch {
	case r.Header.Get("Authorization") != "":
		err = p.s.fromHeader(r)
	case isPresigned(r.URL.RawQuery):
		err = p.s.fromQuery(r)
	default:
		return Pending{}, newError(CodeMissingAuthenticationToken, msgMissingToken)
	}
	if err != nil {
		return Pending{}, err
	}
	if err := v.checkScope(&p.s); err != nil {
		return Pending{}, err
	}
	key, err := v.lookup(ctx, p.s.scope.AccessKeyID)
	if errors.Is(err, ErrUnknownKey) {
		return Pending{}, newError(CodeInvalidClientTokenID, msgInvalidToken)
	}
	if err != nil {
		return Pending{}, fmt.Errorf("sigv4: looking up access key: %w", err)
	}
	if err := v.checkToken(key, p.s.token); err != nil {
		return Pending{}, err
	}
	p.key = key
	return p, nil
}

// Finish checks the signature of the request Begin checked, given the
// SHA-256 of its body as read (of nothing, for none), which a server can
// compute as the body streams in.
func (p *Pending) Finish(r *http.Request, payloadHash [sha256.Size]byte) (Result, error) {
	if !p.v.signatureMatches(r, payloadHash, &p.s, p.key) {
		return Result{}, newError(CodeSignatureDoesNotMatch, msgNoMatch)
	}
	return Result{Scope: p.s.scope, Time: p.s.when, Presigned: p.s.presigned, Key: p.key}, nil
}

func isPresigned(rawQuery string) bool {
	return rawQuery != "" && (strings.Contains(rawQuery, "X-Amz-Credential=") ||
		strings.Contains(rawQuery, "X-Amz-Signature=") || strings.Contains(rawQuery, "X-Amz-Algorithm="))
}

// checkScope checks the terminator, the scope's date against the request
// time, the clock skew (presigned or not) and the region and service.
func (v *Verifier) checkScope(s *signed) error {
	if s.scope.Terminator != "aws4_request" {
		return newError(CodeSignatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'. ", s.scope.Terminator)
	}
	if day := s.amzDate[:8]; s.scope.Date != day {
		return newError(CodeSignatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", s.scope.Date, day, s.dateFrom)
	}
	if err := v.checkTime(s); err != nil {
		return err
	}
	if v.opts.CheckScope != nil {
		return v.opts.CheckScope(s.scope.Region, s.scope.Service)
	}
	return nil
}

// checkTime refuses a request time more than 15 minutes from now, with IAM's
// and STS's words, e.g. "Signature expired: 20240101T000000Z is now earlier
// than 20240101T001500Z (20240101T003000Z - 15 min.)". A presigned URL obeys
// the same window whatever its X-Amz-Expires says, because STS does: its
// presigned URLs live 15 minutes and X-Amz-Expires "does not have any effect"
// (kubernetes-sigs/aws-iam-authenticator#160, aws/aws-sdk-go#2167).
func (v *Verifier) checkTime(s *signed) error {
	now := v.opts.Now().UTC()
	if earliest := now.Add(-MaxSkew); s.when.Before(earliest) {
		return newError(CodeSignatureDoesNotMatch, "Signature expired: %s is now earlier than %s (%s - 15 min.)",
			s.amzDate, earliest.Format(timeFormat), now.Format(timeFormat))
	}
	if latest := now.Add(MaxSkew); s.when.After(latest) {
		return newError(CodeSignatureDoesNotMatch, "Signature not yet current: %s is still later than %s (%s + 15 min.)",
			s.amzDate, latest.Format(timeFormat), now.Format(timeFormat))
	}
	return nil
}

// checkToken matches the request's security token with the key's.
func (v *Verifier) checkToken(key Key, token string) error {
	if !hmac.Equal([]byte(token), []byte(key.SessionToken)) {
		return newError(CodeInvalidClientTokenID, msgInvalidToken)
	}
	if !key.Expires.IsZero() && v.opts.Now().After(key.Expires) {
		return newError(CodeExpiredToken, msgExpiredToken)
	}
	return nil
}

// signatureMatches computes the signature the client should have sent and
// compares it in constant time.
func (v *Verifier) signatureMatches(r *http.Request, payloadHash [sha256.Size]byte, s *signed, key Key) bool {
	bp, _ := v.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer func() {
		if cap(*bp) <= 16<<10 { // a request with huge signed headers is not kept
			v.bufs.Put(bp)
		}
	}()
	// The payload hash is always the body's true hash, never
	// X-Amz-Content-Sha256 or UNSIGNED-PAYLOAD: IAM and STS sign their
	// bodies, and a signature that does not cover the body would let it be
	// changed.
	b := hex.AppendEncode((*bp)[:0], payloadHash[:])
	hash := len(b)
	b = appendCanonicalRequest(b, r, s.query, s.signedHeaders, b[:hash])
	crHash := sha256.Sum256(b[hash:])

	sk := v.keys.signingKey(key.Secret, s.scope)
	b = appendHMACPrefix(b[:0], sk[:])
	b = append(b, Algorithm...)
	b = append(b, '\n')
	b = append(b, s.amzDate...)
	b = append(b, '\n')
	b = append(b, s.scope.Date...)
	b = append(b, '/')
	b = append(b, s.scope.Region...)
	b = append(b, '/')
	b = append(b, s.scope.Service...)
	b = append(b, "/aws4_request\n"...)
	b = hex.AppendEncode(b, crHash[:])
	sum := hmacFinish(sk[:], b)
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], sum[:])
	*bp = b
	return equalConstantTime(want[:], s.signature)
}

// fromHeader reads the Authorization header form.
func (s *signed) fromHeader(r *http.Request) error {
	h := r.Header.Get("Authorization")
	var a Authorization
	if err := a.parse(h); err != nil {
		return err
	}
	missing := a.missing()
	amzDate := r.Header.Get("X-Amz-Date")
	date := r.Header.Get("Date")
	if amzDate == "" && date == "" {
		missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	}
	if missing != "" {
		return newError(CodeIncompleteSignature, "%sAuthorization=%s", missing, h)
	}
	scope, err := ParseCredential(a.Credential)
	if err != nil {
		return err
	}
	*s = signed{scope: scope, signedHeaders: a.SignedHeaders, signature: a.Signature,
		token: r.Header.Get("X-Amz-Security-Token")}
	dateHeader := "x-amz-date"
	if amzDate != "" {
		if s.when, err = parseAmzDate(amzDate); err != nil {
			return err
		}
	} else {
		dateHeader = "date"
		if s.when, err = http.ParseTime(date); err != nil {
			return newError(CodeIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", date)
		}
		s.when = s.when.UTC()
	}
	s.amzDate, s.dateFrom = amzDate, "X-Amz-Date" // parseAmzDate accepts only the canonical form
	if dateHeader == "date" {
		s.amzDate, s.dateFrom = s.when.Format(timeFormat), "Date"
	}
	if err := requireSigned(a.SignedHeaders, dateHeader); err != nil {
		return err
	}
	s.query, err = canonicalQuery(r.URL.RawQuery, false)
	if err != nil {
		return newError(CodeIncompleteSignature, "Malformed query string.")
	}
	return nil
}

// requireSigned insists that host and the header carrying the date are signed:
// otherwise a captured request could be re-dated and replayed.
func requireSigned(signedHeaders, dateHeader string) error {
	var host, date bool
	for name := range strings.SplitSeq(signedHeaders, ";") {
		host = host || name == "host"
		date = date || name == dateHeader
	}
	if !host {
		return newError(CodeIncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !date && dateHeader != "" {
		return newError(CodeIncompleteSignature, "'%s' must be a 'SignedHeader' in the AWS Authorization.", dateHeader)
	}
	return nil
}

// presignedParams are the query parameters a presigned request must carry, in
// the order AWS names a missing one.
var presignedParams = [...]string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders"}

// fromQuery reads the presigned query-string form.
func (s *signed) fromQuery(r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return newError(CodeIncompleteSignature, "Malformed query string.")
	}
	for _, p := range presignedParams {
		if q.Get(p) == "" {
			return newError(CodeIncompleteSignature, "AWS query-string parameters must include '%s'. Re-examine the query-string parameters.", p)
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != Algorithm {
		return newError(CodeIncompleteSignature, "X-Amz-Algorithm only supports \"%s\", not '%s'.", Algorithm, alg)
	}
	scope, err := ParseCredential(q.Get("X-Amz-Credential"))
	if err != nil {
		return err
	}
	*s = signed{scope: scope, signedHeaders: q.Get("X-Amz-SignedHeaders"), signature: q.Get("X-Amz-Signature"),
		token: q.Get("X-Amz-Security-Token"), presigned: true}
	if s.when, err = parseAmzDate(q.Get("X-Amz-Date")); err != nil {
		return err
	}
	s.amzDate, s.dateFrom = q.Get("X-Amz-Date"), "X-Amz-Date"
	if e := q.Get("X-Amz-Expires"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 0 || n > 604800 {
			return newError(CodeIncompleteSignature, "X-Amz-Expires must be a whole number of seconds from 0 to 604800, not '%s'.", e)
		}
	}
	if err := requireSigned(s.signedHeaders, ""); err != nil {
		return err
	}
	s.query, err = canonicalQuery(r.URL.RawQuery, true)
	if err != nil {
		return newError(CodeIncompleteSignature, "Malformed query string.")
	}
	return nil
}

// parseAmzDate parses the ISO 8601 basic format YYYYMMDDTHHMMSSZ by hand
// (time.Parse is a tenth of a request's verification), checking every field
// as time.Parse would.
func parseAmzDate(v string) (time.Time, error) {
	t, err := fastAmzDate(v)
	if err != nil {
		return time.Time{}, newError(CodeIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", v)
	}
	return t, nil
}

var errBadDate = errors.New("sigv4: not YYYYMMDDTHHMMSSZ")

func fastAmzDate(v string) (time.Time, error) {
	if len(v) != len(timeFormat) || v[8] != 'T' || v[15] != 'Z' {
		return time.Time{}, errBadDate
	}
	num := func(i, n int) int {
		x := 0
		for _, c := range []byte(v[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day := num(0, 4), num(4, 2), num(6, 2)
	hour, minute, sec := num(9, 2), num(11, 2), num(13, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, errBadDate
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30th and the like normalize to another day
		return time.Time{}, errBadDate
	}
	return t, nil
}
