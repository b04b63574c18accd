package sts

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/iam"
)

// FuzzSignedAssertion: no input signed by nobody is accepted, and none
// panics the decoder, the XML reader or the signature check.
func FuzzSignedAssertion(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"}, NotBefore: time.Unix(0, 0), NotAfter: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		f.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	meta := iam.SAMLMetadata{EntityID: "idp", Certs: []*x509.Certificate{cert}}
	for _, s := range []string{`<Response><Assertion ID="a"><Issuer>idp</Issuer></Assertion></Response>`,
		`<Assertion ID="a"><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></Assertion>`, `<`, ``} {
		f.Add(base64.StdEncoding.EncodeToString([]byte(s)))
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		if el, err := signedAssertion(encoded, meta, time.Now()); err == nil {
			t.Fatalf("signedAssertion(%q) = %v, want a refusal: nothing was signed", encoded, el)
		}
	})
}
