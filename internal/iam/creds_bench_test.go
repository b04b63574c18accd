package iam

import "testing"

// BenchmarkParseSSHPublicKey is the parse UploadSSHPublicKey and
// GetSSHPublicKey pay per call, by format.
func BenchmarkParseSSHPublicKey(b *testing.B) {
	for _, name := range []string{"rsa2048.pub", "rsa2048.ssh2", "rsa2048.pkix.pem", "rsa4096.pub"} {
		body := sshFile(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseSSHPublicKey(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckServerCertificate is UploadServerCertificate's checks before
// the store: body, chain order and key match, for an RSA leaf under a
// two-certificate chain and an ECDSA self-signed one.
func BenchmarkCheckServerCertificate(b *testing.B) {
	cases := []struct{ name, body, chain, key string }{
		{"rsa-chain", "leaf-rsa.pem", "chain.pem", "leaf-rsa.key"},
		{"ec", "leaf-ec.pem", "", "leaf-ec.key"},
	}
	for _, c := range cases {
		body, key := pemFile(b, c.body), pemFile(b, c.key)
		chain := ""
		if c.chain != "" {
			chain = pemFile(b, c.chain)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := checkServerCertificate(body, chain, key, now2026); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
