package iam

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"

	"golang.org/x/crypto/ssh"
)

// RSA sizes IAM accepts for SSH public keys: at least 2048 bits
// (UploadSSHPublicKey's SSHPublicKeyBody: "The minimum bit-length of the
// public key is 2048 bits"); iamq caps them at 16384 bits, which the input's
// 16 KB bound allows.
const (
	MinSSHKeyBits = 2048
	MaxSSHKeyBits = 16384
)

// SSHKey is an SSH public key that ParseSSHPublicKey accepted.
type SSHKey struct {
	Public ssh.PublicKey
	RSA    *rsa.PublicKey
}

// Fingerprint is the key's MD5 fingerprint in colon-separated hex, as IAM
// shows it (SSHPublicKey.Fingerprint: "The MD5 message digest of the SSH
// public key").
func (k SSHKey) Fingerprint() string { return ssh.FingerprintLegacyMD5(k.Public) }

// SSH is the key in OpenSSH's one-line form, "ssh-rsa AAAA…" (Encoding SSH).
func (k SSHKey) SSH() string {
	return strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(k.Public)), "\n")
}

// PEM is the key as a PEM "PUBLIC KEY" block, PKIX (Encoding PEM).
func (k SSHKey) PEM() string {
	der, err := x509.MarshalPKIXPublicKey(k.RSA)
	if err != nil {
		return "" // an *rsa.PublicKey always marshals
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// ParseSSHPublicKey parses an SSH public key in a format IAM accepts: the
// OpenSSH one-line form ("ssh-rsa AAAA… comment"), the SSH2 form of RFC 4716
// ("---- BEGIN SSH2 PUBLIC KEY ----"), or PEM ("PUBLIC KEY" or "RSA PUBLIC
// KEY"). Only RSA keys of at least 2048 bits are accepted. A body in none of
// these forms, or of another algorithm, is ErrUnrecognizedPublicKeyEncoding;
// a recognized form that does not hold a usable key is ErrInvalidPublicKey.
// The caller bounds the body's size.
func ParseSSHPublicKey(body string) (SSHKey, error) {
	text := strings.TrimSpace(body)
	var wire []byte
	var err error
	switch {
	case strings.HasPrefix(text, "ssh-"), strings.HasPrefix(text, "ecdsa-"):
		wire, err = oneLine(text)
	case strings.HasPrefix(text, "---- BEGIN SSH2 PUBLIC KEY ----"):
		wire, err = rfc4716(text)
	case strings.HasPrefix(text, "-----BEGIN "):
		return pemPublicKey(text)
	default:
		return SSHKey{}, unrecognizedKey()
	}
	if err != nil {
		return SSHKey{}, err
	}
	pub, perr := ssh.ParsePublicKey(wire)
	if perr != nil {
		return SSHKey{}, invalidKey()
	}
	if pub.Type() != ssh.KeyAlgoRSA {
		return SSHKey{}, unrecognizedKey()
	}
	ck, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return SSHKey{}, invalidKey()
	}
	rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey)
	if !ok {
		return SSHKey{}, invalidKey()
	}
	return checkRSA(pub, rk)
}

// The refusals' texts are iamq's: no public source quotes IAM's.
func unrecognizedKey() error {
	return refuse(ErrUnrecognizedPublicKeyEncoding, "The public key encoding format is unsupported or unrecognized: use ssh-rsa (OpenSSH or SSH2) or PEM.")
}

func invalidKey() error {
	return refuse(ErrInvalidPublicKey, "The public key is malformed or otherwise invalid.")
}

// checkRSA accepts an RSA key of an allowed size.
func checkRSA(pub ssh.PublicKey, rk *rsa.PublicKey) (SSHKey, error) {
	if bits := rk.N.BitLen(); bits < MinSSHKeyBits || bits > MaxSSHKeyBits {
		return SSHKey{}, refuse(ErrInvalidPublicKey, "The public key is %d bits long; IAM requires an RSA key of at least %d bits.", bits, MinSSHKeyBits)
	}
	return SSHKey{Public: pub, RSA: rk}, nil
}

// oneLine decodes "type base64 [comment]" and checks that the type
// matches the key's.
func oneLine(text string) ([]byte, error) {
	if strings.ContainsAny(strings.TrimRight(text, "\r\n"), "\r\n") {
		return nil, invalidKey() // more than one key (an authorized_keys file)
	}
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return nil, invalidKey()
	}
	if fields[0] != ssh.KeyAlgoRSA {
		return nil, unrecognizedKey()
	}
	wire, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, invalidKey()
	}
	return wire, nil
}

// rfc4716 decodes the SSH2 form: the BEGIN line, headers ("Comment: …",
// continued by a final backslash), the base64 body and the END line.
func rfc4716(text string) ([]byte, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	end := -1
	for i := len(lines) - 1; i > 0; i-- {
		if strings.TrimSpace(lines[i]) == "---- END SSH2 PUBLIC KEY ----" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, invalidKey()
	}
	var b64 bytes.Buffer
	continued := false
	for _, line := range lines[1:end] {
		line = strings.TrimSpace(line)
		switch {
		case continued:
			continued = strings.HasSuffix(line, `\`)
		case strings.Contains(line, ":"):
			continued = strings.HasSuffix(line, `\`)
		default:
			b64.WriteString(line)
		}
	}
	wire, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil {
		return nil, invalidKey()
	}
	return wire, nil
}

// pemPublicKey reads a PEM "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS #1)
// block holding an RSA key.
func pemPublicKey(text string) (SSHKey, error) {
	block, rest := pem.Decode([]byte(text))
	if block == nil || len(bytes.TrimSpace(rest)) != 0 {
		return SSHKey{}, invalidKey()
	}
	var rk *rsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return SSHKey{}, invalidKey()
		}
		var ok bool
		if rk, ok = k.(*rsa.PublicKey); !ok {
			return SSHKey{}, unrecognizedKey()
		}
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return SSHKey{}, invalidKey()
		}
		rk = k
	default:
		return SSHKey{}, unrecognizedKey()
	}
	pub, err := ssh.NewPublicKey(rk)
	if err != nil {
		return SSHKey{}, invalidKey()
	}
	return checkRSA(pub, rk)
}
