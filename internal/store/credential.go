package store

import "time"

// The kinds of the user credentials and certificates the store keeps
// (besides access keys); changes name them.
const (
	KindCredential        Kind = "credential"         // an SSH key, signing certificate or service-specific credential
	KindServerCertificate Kind = "server-certificate" // a server certificate of the account
)

// CredentialKind says what a user credential is.
type CredentialKind string

// The kinds of user credential.
const (
	CredSSHKey      CredentialKind = "ssh-key"      // an SSH public key (UploadSSHPublicKey)
	CredSigningCert CredentialKind = "signing-cert" // an X.509 signing certificate (UploadSigningCertificate)
	CredService     CredentialKind = "service"      // a service-specific credential (CreateServiceSpecificCredential)
)

// The prefixes of the credentials' ids, as IAM's answers show them: APKA for
// SSH public keys (IAM User Guide, CodeCommit SSH set-up: "APKAEIBAERJR2EXAMPLE")
// and ACCA for service-specific credentials (IAM API Reference,
// CreateServiceSpecificCredential example); server certificates' ids start
// ASCA (UploadServerCertificate example). Signing certificates' ids have no
// prefix.
const (
	PrefixSSHKey            IDPrefix = "APKA"
	PrefixServiceCredential IDPrefix = "ACCA"
	PrefixServerCertificate IDPrefix = "ASCA"
)

// NewCredentialID returns a random id for a credential of kind: APKA and
// 16 characters for SSH keys (20, as IAM's), ACCA and 17 for
// service-specific credentials (21), 24 characters for signing certificates
// (certificateIdType's minimum; the botocore examples show ids of 24 and 28
// characters, "ID123456789012345EXAMPLE" and "TA7SMP42TDN5Z26OBPJE7EXAMPLE").
func NewCredentialID(kind CredentialKind) string {
	switch kind {
	case CredSSHKey:
		return string(PrefixSSHKey) + randomString(idAlphabet, 16)
	case CredService:
		return string(PrefixServiceCredential) + randomString(idAlphabet, 17)
	}
	return randomString(idAlphabet, 24)
}

// NewCredentialSecret returns a random secret of n base64-letter characters
// (a service-specific credential's password).
func NewCredentialSecret(n int) string { return randomString(secretAlphabet, n) }

// Credential is a user's SSH public key, signing certificate or
// service-specific credential. The root may hold signing certificates.
type Credential struct {
	AccountID string
	ID        string
	Kind      CredentialKind
	// Owner is KindUser (Name is the user) or, for signing certificates,
	// KindAccount (the root).
	Owner   EntityRef
	Status  KeyStatus
	Created time.Time
	// Body is the SSH public key or the certificate, as uploaded ("" for a
	// service-specific credential).
	Body string
	// Fingerprint identifies the key or certificate for duplicates: SSH
	// keys' MD5 fingerprint, certificates' SHA-256 of their DER.
	Fingerprint string
	// Service, ServiceUser: a service-specific credential's service and its
	// user name (or alias).
	Service     string
	ServiceUser string
	// Secret is a service-specific credential's password, in clear text
	// only when just created or reset; the store keeps it encrypted.
	Secret string
	// Expires is when a service-specific credential expires (zero: never).
	Expires time.Time
}

// ServerCertificate is a server certificate of the account: the public key
// certificate, its chain and its private key, which the store keeps
// encrypted and never returns except to the upload that stored it.
type ServerCertificate struct {
	AccountID  string
	ID         string // ASCA…
	Name       string
	Path       string
	Body       string // PEM
	Chain      string // PEM, "" when none
	PrivateKey string // only in the upload; reads leave it empty
	Uploaded   time.Time
	Expires    time.Time // the certificate's NotAfter
	Tags       []Tag     // filled by Get and Create; nil in lists
}

// Quotas of credentials (IAM User Guide, "IAM and AWS STS quotas": SSH
// public keys per user 5, signing certificates per user 2, server
// certificates per account 20; CreateServiceSpecificCredential: "a maximum
// of two sets of service-specific credentials for each supported service
// per user").
const (
	MaxSSHKeys             = 5
	MaxSigningCerts        = 2
	MaxServiceCredentials  = 2
	MaxServerCertificates  = 20
	QuotaSSHKeysPerUser    = Quota("SSHPublicKeysPerUser")
	QuotaSigningCertsUser  = Quota("SigningCertificatesPerUser")
	QuotaServiceCredsUser  = Quota("ServiceSpecificCredentialsPerUserPerService")
	QuotaServerCertsPerAcc = Quota("ServerCertificatesPerAccount")
)
