package iam

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamq/iamq/internal/store"
)

// The refusals of the certificate and key operations (the botocore IAM
// model's exceptions: MalformedCertificateException, KeyPairMismatchException,
// …); the wire package maps each to its code.
var (
	// ErrMalformedCertificate: a certificate or chain that does not parse,
	// or an expired one (MalformedCertificate).
	ErrMalformedCertificate = errors.New("iam: malformed certificate")
	// ErrKeyPairMismatch: the private key is not the certificate's
	// (KeyPairMismatch).
	ErrKeyPairMismatch = errors.New("iam: key pair mismatch")
	// ErrInvalidCertificate: a signing certificate that parses but is
	// unusable (InvalidCertificate).
	ErrInvalidCertificate = errors.New("iam: invalid certificate")
	// ErrDuplicateCertificate: a signing certificate that a user of the
	// account holds already (DuplicateCertificate).
	ErrDuplicateCertificate = errors.New("iam: duplicate certificate")
	// ErrInvalidPublicKey: an SSH key that is malformed or too short
	// (InvalidPublicKey).
	ErrInvalidPublicKey = errors.New("iam: invalid public key")
	// ErrUnrecognizedPublicKeyEncoding: an SSH key in no format IAM
	// accepts (UnrecognizedPublicKeyEncoding).
	ErrUnrecognizedPublicKeyEncoding = errors.New("iam: unrecognized public key encoding")
	// ErrDuplicateSSHPublicKey: an SSH key the user holds already
	// (DuplicateSSHPublicKey).
	ErrDuplicateSSHPublicKey = errors.New("iam: duplicate SSH public key")
	// ErrServiceNotSupported: a service without service-specific
	// credentials (NotSupportedService).
	ErrServiceNotSupported = errors.New("iam: service not supported")
)

// The vocabulary of the credential operations, under IAM's names.
type (
	// Credential is an SSH key, signing certificate or service-specific
	// credential.
	Credential = store.Credential
	// ServerCertificate is a server certificate of the account.
	ServerCertificate = store.ServerCertificate
)

// The fields of the credential operations, as IAM's messages name them.
const (
	FieldCertificateBody  Field = "certificateBody"
	FieldCertificateChain Field = "certificateChain"
	FieldPrivateKey       Field = "privateKey"
	FieldCertificateID    Field = "certificateId"
	FieldSSHPublicKeyBody Field = "sSHPublicKeyBody"
	FieldSSHPublicKeyID   Field = "sSHPublicKeyId"
	FieldEncoding         Field = "encoding"
	FieldServerCertName   Field = "serverCertificateName"
	FieldNewServerCert    Field = "newServerCertificateName"
	FieldServiceName      Field = "serviceName"
	FieldServiceCredID    Field = "serviceSpecificCredentialId"
	FieldCredentialAge    Field = "credentialAgeDays"
)

// Size limits of the uploaded material (botocore IAM model: certificateBodyType
// and privateKeyType 16384, certificateChainType 2097152,
// publicKeyMaterialType 16384 characters).
const (
	MaxCertificateBody  = 16384
	MaxPrivateKey       = 16384
	MaxCertificateChain = 2097152
	MaxSSHPublicKeyBody = 16384
)

// material checks an uploaded body's size before anything parses it, and
// its characters (the model's pattern [\u0009\u000A\u000D\u0020-\u00FF]+).
// The value is never echoed: it may be a private key, and it may be large.
func (v *Validation) material(f Field, value string, max int) bool {
	switch {
	case len(value) == 0:
		v.constraint(f, "", "Member must have length greater than or equal to 1")
		return false
	case len(value) > 4*max || utf8.RuneCountInString(value) > max:
		v.constraint(f, "***", "Member must have length less than or equal to "+strconv.Itoa(max))
		return false
	}
	for _, r := range value {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xff) {
			v.constraint(f, "***", `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
			return false
		}
	}
	return true
}

// checkStatus checks a credential's Status parameter (statusType).
func checkStatus(v *Validation, status store.KeyStatus) {
	if status != store.KeyActive && status != store.KeyInactive {
		v.constraint(FieldStatus, string(status), "Member must satisfy enum value set: [Active, Inactive, Expired]")
	}
}

// checkCredID checks a credential id parameter: min–128 word characters.
func checkCredID(v *Validation, f Field, id string, min int) {
	if v.Length(f, id, min, 128) && !isWord(id) {
		v.constraint(f, id, `Member must satisfy regular expression pattern: [\w]+`)
	}
}

// ownCredential returns the credential id of kind when owner holds it, and
// notFound otherwise (another user's id is answered as an unknown one).
func ownCredential(tx store.Tx, kind store.CredentialKind, owner store.EntityRef, id string, notFound error) (store.Credential, error) {
	if owner.Kind == store.KindUser {
		if _, err := tx.User(owner.Name); err != nil {
			return store.Credential{}, err
		}
	}
	c, err := tx.Credential(kind, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (c.Owner.Kind != owner.Kind ||
		owner.Kind == store.KindUser && !strings.EqualFold(c.Owner.Name, owner.Name)) {
		return store.Credential{}, notFound
	}
	return c, err
}
