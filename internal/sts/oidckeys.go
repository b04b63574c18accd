package sts

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamq/iamq/internal/store"
)

// ErrNoKeys is returned by an [OIDCKeys] that cannot get a provider's keys;
// AssumeRoleWithWebIdentity answers InvalidIdentityToken.
var ErrNoKeys = errors.New("sts: the identity provider's keys cannot be retrieved")

// ErrIDPUnreachable is returned (with ErrNoKeys) when a loopback issuer
// does not answer, or answers with an error: AssumeRoleWithWebIdentity's
// IDPCommunicationError.
var ErrIDPUnreachable = errors.New("sts: the identity provider could not be reached")

// ErrThumbprint is returned (with ErrNoKeys) when a loopback issuer's
// certificate chain matches none of the provider's thumbprints.
var ErrThumbprint = errors.New("sts: the issuer's certificate matches no thumbprint")

// unreachable wraps both errors.
func unreachable(format string, args ...any) error {
	return fmt.Errorf("%w: %w: %s", ErrNoKeys, ErrIDPUnreachable, fmt.Sprintf(format, args...))
}

// OIDCKeys returns the signing keys (a JWK Set) of an OIDC provider.
type OIDCKeys interface {
	Keys(ctx context.Context, p store.Provider) (*jose.JSONWebKeySet, error)
}

// Bounds of what LocalKeys reads.
const (
	maxJWKSFile  = 1 << 20  // the JWKS file
	maxDiscovery = 64 << 10 // the openid-configuration document
	maxJWKS      = 256 << 10
)

// LocalKeys finds an OIDC provider's keys without the internet (issue 22):
// in a JWKS file given to iamq, or from the issuer's
// /.well-known/openid-configuration when the issuer is on a loopback
// address. Over HTTPS, the issuer's certificate chain must hold a
// certificate whose SHA-1 thumbprint is one of the provider's thumbprints,
// as IAM checks an OIDC provider's thumbprints (IAM User Guide, "Obtain the
// thumbprint for an OpenID Connect identity provider"); a provider without
// thumbprints needs a chain the system trusts. The zero value reads no
// file and fetches from loopback issuers.
type LocalKeys struct {
	// File is a JSON object whose members are provider names (the issuer
	// URL without https://) and whose values are JWK Sets; "" means none.
	// It is read on each call, so it may be written after iamq starts.
	File string
	// Timeout bounds each fetch; 0 means 5 seconds.
	Timeout time.Duration
	// RootCAs verifies issuers of providers without thumbprints; nil means
	// the system's.
	RootCAs *x509.CertPool
	// TTL is how long keys fetched from an issuer are reused: 0 means one
	// minute (a rotated key is seen within it), negative never.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]fetchedKeys // by provider name and thumbprints
}

// fetchedKeys are an issuer's keys and when they were fetched.
type fetchedKeys struct {
	set *jose.JSONWebKeySet
	at  time.Time
}

// maxCachedIssuers bounds the cache: past it, it starts again empty.
const maxCachedIssuers = 1000

// Keys returns p's keys: from the file when it names p, else fetched from a
// loopback issuer.
func (l *LocalKeys) Keys(ctx context.Context, p store.Provider) (*jose.JSONWebKeySet, error) {
	if l.File != "" {
		set, err := l.fromFile(p.Name)
		if err != nil || set != nil {
			return set, err
		}
	}
	return l.cached(ctx, p)
}

// cached returns the keys fetched from p's issuer within the TTL, or
// fetches them.
func (l *LocalKeys) cached(ctx context.Context, p store.Provider) (*jose.JSONWebKeySet, error) {
	ttl, now := l.TTL, time.Now
	if ttl == 0 {
		ttl = time.Minute
	}
	if l.Now != nil {
		now = l.Now
	}
	key := p.Name + "\x00" + strings.Join(p.Thumbprints, ",")
	l.mu.Lock()
	f, ok := l.cache[key]
	l.mu.Unlock()
	if ok && ttl > 0 && now().Sub(f.at) < ttl {
		return f.set, nil
	}
	set, err := l.discover(ctx, p)
	if err != nil || ttl < 0 {
		return set, err
	}
	l.mu.Lock()
	if l.cache == nil || len(l.cache) >= maxCachedIssuers {
		l.cache = map[string]fetchedKeys{}
	}
	l.cache[key] = fetchedKeys{set: set, at: now()}
	l.mu.Unlock()
	return set, nil
}

func (l *LocalKeys) fromFile(name string) (*jose.JSONWebKeySet, error) {
	f, err := os.Open(l.File)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoKeys, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxJWKSFile+1))
	if err != nil || len(b) > maxJWKSFile {
		return nil, fmt.Errorf("%w: JWKS file %s unreadable or over %d bytes", ErrNoKeys, l.File, maxJWKSFile)
	}
	var sets map[string]jose.JSONWebKeySet
	if err := json.Unmarshal(b, &sets); err != nil {
		return nil, fmt.Errorf("%w: JWKS file %s: %v", ErrNoKeys, l.File, err)
	}
	if set, ok := sets[name]; ok {
		return &set, nil
	}
	return nil, nil
}

// discover fetches the issuer's discovery document and then its jwks_uri,
// both on the issuer's loopback host.
func (l *LocalKeys) discover(ctx context.Context, p store.Provider) (*jose.JSONWebKeySet, error) {
	issuer := "https://" + p.Name
	u, err := url.Parse(issuer)
	if err != nil || !Loopback(u.Hostname()) {
		return nil, fmt.Errorf("%w: %s is not on a loopback address, and iamq never fetches keys from the internet", ErrNoKeys, issuer)
	}
	client := l.client(p.Thumbprints)
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := l.getJSON(ctx, client, issuer+"/.well-known/openid-configuration", maxDiscovery, &doc); err != nil {
		return nil, err
	}
	ju, err := url.Parse(doc.JWKSURI)
	if err != nil || ju.Scheme != "https" || ju.Host != u.Host {
		return nil, fmt.Errorf("%w: jwks_uri %q is not on the issuer's host", ErrNoKeys, doc.JWKSURI)
	}
	var set jose.JSONWebKeySet
	if err := l.getJSON(ctx, client, doc.JWKSURI, maxJWKS, &set); err != nil {
		return nil, err
	}
	return &set, nil
}

func (l *LocalKeys) getJSON(ctx context.Context, client *http.Client, u string, limit int64, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoKeys, err)
	}
	resp, err := client.Do(req)
	if errors.Is(err, errThumbprint) {
		return fmt.Errorf("%w: %w", ErrNoKeys, ErrThumbprint)
	}
	if err != nil {
		return unreachable("%v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil || resp.StatusCode != http.StatusOK || int64(len(b)) > limit {
		return unreachable("GET %s: status %d, %d bytes", u, resp.StatusCode, len(b))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: GET %s: %v", ErrNoKeys, u, err)
	}
	return nil
}

// client is an HTTPS client that follows no redirect, dials only loopback
// addresses, and checks the chain against thumbprints when there are any.
func (l *LocalKeys) client(thumbprints []string) *http.Client {
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	cfg := &tls.Config{RootCAs: l.RootCAs, MinVersion: tls.VersionTLS12}
	if len(thumbprints) > 0 {
		cfg.InsecureSkipVerify = true // replaced by pinnedChain below
		cfg.VerifyConnection = func(cs tls.ConnectionState) error { return pinnedChain(cs, thumbprints) }
	}
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{TLSClientConfig: cfg, Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || !Loopback(host) {
				return nil, fmt.Errorf("%s is not a loopback address", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		}}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// pinnedChain accepts the server's chain when the leaf is a certificate
// the thumbprints name, or when the leaf, valid for the server's name,
// chains (through the certificates the server sent) to one they name: a
// thumbprint pins a CA, and a server that merely sends that CA's
// certificate without a leaf it signed is refused.
func pinnedChain(cs tls.ConnectionState, thumbprints []string) error {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return errors.New("the issuer sent no certificate")
	}
	pinned := func(c *x509.Certificate) bool {
		sum := sha1.Sum(c.Raw)
		return slices.Contains(thumbprints, hex.EncodeToString(sum[:]))
	}
	if pinned(certs[0]) {
		return nil
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	for _, c := range certs[1:] {
		if !pinned(c) {
			continue
		}
		roots := x509.NewCertPool()
		roots.AddCert(c)
		if _, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: cs.ServerName}); err == nil {
			return nil
		}
	}
	return errThumbprint
}

// errThumbprint refuses an issuer whose chain no thumbprint names.
var errThumbprint = errors.New("no certificate of the issuer's chain matches the provider's thumbprints")

// Loopback reports whether host is localhost or a loopback IP address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
