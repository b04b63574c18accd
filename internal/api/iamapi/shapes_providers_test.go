package iamapi

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"
)

// The identity providers the golden steps create, and what they are
// created with.
const (
	goldenOIDC = "arn:aws:iam::" + idAccount + ":oidc-provider/oidc.example.com"
	goldenSAML = "arn:aws:iam::" + idAccount + ":saml-provider/corp"
)

// goldenThumbprint is the OIDC provider's certificate thumbprint (40 hex
// digits, as CreateOpenIDConnectProvider takes them).
var goldenThumbprint = strings.Repeat("a", 40)

// goldenSAMLMetadata returns a SAML IdP's metadata whose text is the same
// on every run, so that GetSAMLProvider's answer can be kept: its signing
// certificate is made from a fixed Ed25519 seed (Ed25519 signs without
// randomness) with fixed dates.
func goldenSAMLMetadata(t *testing.T) string {
	t.Helper()
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example.com"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert := base64.StdEncoding.EncodeToString(der)
	descriptor := func(use string) string {
		return `<md:KeyDescriptor use="` + use + `"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>` +
			`<ds:X509Certificate>` + cert + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
	}
	// Signing and encryption keys and the name formats, as IdPs publish
	// them: CreateSAMLProvider takes at least 1,000 characters.
	return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/golden">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + descriptor("signing") + descriptor("encryption") + `
<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
</md:IDPSSODescriptor>
</md:EntityDescriptor>`
}
