package iam

import "testing"

// FuzzParseSAMLMetadata: any document either parses to an entity with at
// least one certificate or is refused; never a panic.
func FuzzParseSAMLMetadata(f *testing.F) {
	for _, s := range []string{`<EntityDescriptor entityID="e"><IDPSSODescriptor/></EntityDescriptor>`,
		`<EntitiesDescriptor><EntityDescriptor entityID="e" validUntil="2030-01-01T00:00:00Z"><IDPSSODescriptor><KeyDescriptor><X509Certificate>AAAA</X509Certificate></KeyDescriptor></IDPSSODescriptor></EntityDescriptor></EntitiesDescriptor>`,
		`<x`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		m, err := ParseSAMLMetadata(doc)
		if err == nil && (m.EntityID == "" || len(m.Certs) == 0) {
			t.Fatalf("ParseSAMLMetadata(%q) = %+v without error", doc, m)
		}
	})
}
