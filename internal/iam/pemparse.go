package iam

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"time"
)

// MaxChainCertificates bounds the certificates of a chain that iamq parses:
// the model allows 2 MB of chain, and each certificate costs a parse.
// AWS documents no count; real chains hold a handful.
const MaxChainCertificates = 64

// Key sizes accepted for server certificates' keys: RSA of 1024 to 4096
// bits and ECDSA on P-256 or P-384 (IAM User Guide, "Managing server
// certificates in IAM", and the key types ELB and CloudFront accept).
const (
	MinServerRSABits = 1024
	MaxServerRSABits = 4096
)

// msgCertPEM is IAM's refusal of a certificate body that is not one PEM
// certificate (quoted in several public READMEs, e.g. the AWS CLI output
// "A client error (MalformedCertificate) occurred when calling the
// UploadServerCertificate operation: Unable to parse certificate. Please
// ensure the certificate is in PEM format.").
const msgCertPEM = "Unable to parse certificate. Please ensure the certificate is in PEM format."

// msgChainOrder is IAM's refusal of a chain out of order, followed by the
// index of the certificate that failed (-1: the body itself is not signed
// by the chain's first certificate); quoted in
// mprahl/ansible-role-lets-encrypt-route-53#52.
const msgChainOrder = "Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: %d"

func malformed(format string, args ...any) error {
	return refuse(ErrMalformedCertificate, format, args...)
}

// pemBlocks splits text into PEM blocks, refusing anything but white space
// around and between them, and more than max blocks.
func pemBlocks(text string, max int) ([]*pem.Block, bool) {
	rest := []byte(text)
	var blocks []*pem.Block
	for len(bytes.TrimSpace(rest)) > 0 {
		if len(blocks) == max {
			return nil, false
		}
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, false
		}
		blocks = append(blocks, b)
	}
	return blocks, len(blocks) > 0
}

// ParseCertificatePEM parses a certificate body: exactly one PEM
// "CERTIFICATE" block holding an X.509 certificate.
func ParseCertificatePEM(body string) (*x509.Certificate, error) {
	blocks, ok := pemBlocks(body, 1)
	if !ok || blocks[0].Type != "CERTIFICATE" || len(blocks[0].Headers) != 0 {
		return nil, malformed(msgCertPEM)
	}
	cert, err := x509.ParseCertificate(blocks[0].Bytes)
	if err != nil {
		return nil, malformed(msgCertPEM)
	}
	return cert, nil
}

// ParseChainPEM parses a certificate chain: one or more PEM certificates
// (at most MaxChainCertificates).
func ParseChainPEM(chain string) ([]*x509.Certificate, error) {
	blocks, ok := pemBlocks(chain, MaxChainCertificates)
	if !ok {
		return nil, malformed("Unable to parse certificate chain. Please ensure the chain is in PEM format and holds at most %d certificates.", MaxChainCertificates)
	}
	out := make([]*x509.Certificate, len(blocks))
	for i, b := range blocks {
		var err error
		if b.Type == "CERTIFICATE" {
			out[i], err = x509.ParseCertificate(b.Bytes)
		}
		if b.Type != "CERTIFICATE" || err != nil {
			return nil, malformed("Unable to parse certificate chain. The certificate at index %d is not a PEM certificate.", i)
		}
	}
	return out, nil
}

// CheckChain checks that chain starts with the certificate that signed cert
// and goes on with each certificate's signer, in order.
func CheckChain(cert *x509.Certificate, chain []*x509.Certificate) error {
	child := cert
	for i, parent := range chain {
		if child.CheckSignatureFrom(parent) != nil {
			return malformed(msgChainOrder, i-1)
		}
		child = parent
	}
	return nil
}

// CheckValidity refuses a certificate that has expired at now, as IAM does
// (MalformedCertificateException: "malformed or expired").
func CheckValidity(cert *x509.Certificate, now time.Time) error {
	if now.After(cert.NotAfter) {
		return malformed("The certificate expired on %s.", cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// ParsePrivateKeyPEM parses an unencrypted private key: one PEM block of
// PKCS #1 ("RSA PRIVATE KEY"), PKCS #8 ("PRIVATE KEY") or SEC 1 ("EC
// PRIVATE KEY"). The key itself never appears in a refusal.
func ParsePrivateKeyPEM(key string) (crypto.Signer, error) {
	blocks, ok := pemBlocks(key, 1)
	if !ok || len(blocks[0].Headers) != 0 { // Proc-Type headers: an encrypted key
		return nil, malformed("Unable to parse the private key. Please ensure it is an unencrypted PEM private key.")
	}
	var k any
	var err error
	switch blocks[0].Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(blocks[0].Bytes)
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(blocks[0].Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(blocks[0].Bytes)
	}
	signer, ok := k.(crypto.Signer)
	if err != nil || !ok { // no key of a known block type, or none that signs
		return nil, malformed("Unable to parse the private key. Please ensure it is an unencrypted PEM private key.")
	}
	return signer, nil
}

// CheckServerKey refuses a certificate whose key type or size IAM does not
// accept, and a private key that is not the certificate's (KeyPairMismatch).
func CheckServerKey(cert *x509.Certificate, key crypto.Signer) error {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := pub.N.BitLen(); bits < MinServerRSABits || bits > MaxServerRSABits {
			return malformed("The certificate's RSA key is %d bits long; IAM accepts %d to %d bits.", bits, MinServerRSABits, MaxServerRSABits)
		}
	case *ecdsa.PublicKey:
		if pub.Curve != elliptic.P256() && pub.Curve != elliptic.P384() {
			return malformed("The certificate's ECDSA curve %s is not supported: use P-256 or P-384.", pub.Curve.Params().Name)
		}
	default:
		return malformed("The certificate's key algorithm %s is not supported: use RSA or ECDSA.", cert.PublicKeyAlgorithm)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if eq, ok := key.Public().(equaler); !ok || !eq.Equal(cert.PublicKey) {
		return refuse(ErrKeyPairMismatch, "The private key does not match the public key of the certificate.")
	}
	return nil
}

// CertificateFingerprint is the SHA-256 of a certificate's DER, in hex: how
// iamq tells two uploads of one certificate apart from two certificates.
func CertificateFingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}
