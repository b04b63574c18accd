package iam

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func TestCredentialClock(t *testing.T) { forEachBackend(t, testCredentialClock) }

// testCredentialClock: an API key past its CredentialAgeDays lists as
// Expired, and a server certificate is refused once its NotAfter passed.
func testCredentialClock(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	start := s.now()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "jane"}); err != nil {
		t.Fatal(err)
	}
	key, err := s.CreateServiceSpecificCredential(ctx, testAccount, "jane", "logs.amazonaws.com", 1)
	if err != nil || key.Style != StyleAPIKey || !key.Expires.Equal(start.Add(24*time.Hour)) {
		t.Fatalf("CreateServiceSpecificCredential = %+v, %v", key, err)
	}
	status := func() store.KeyStatus {
		p, err := s.ListServiceSpecificCredentials(ctx, testAccount, "jane", "", false, ListInput{})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("ListServiceSpecificCredentials = %+v, %v", p, err)
		}
		return p.Items[0].Status
	}
	if got := status(); got != store.KeyActive {
		t.Errorf("status before expiry = %s", got)
	}
	s.now = func() time.Time { return start.Add(25 * time.Hour) }
	if got := status(); got != "Expired" {
		t.Errorf("status after expiry = %s, want Expired", got)
	}
	cert, err := ParseCertificatePEM(pemFile(t, "leaf-rsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return cert.NotAfter.Add(time.Minute) }
	_, err = s.UploadServerCertificate(ctx, testAccount, UploadServerCertificateInput{Name: "late",
		Body: pemFile(t, "leaf-rsa.pem"), PrivateKey: pemFile(t, "leaf-rsa.key")})
	if !errors.Is(err, ErrMalformedCertificate) {
		t.Fatalf("UploadServerCertificate(expired) = %v, want MalformedCertificate", err)
	}
	_, err = s.UploadSigningCertificate(ctx, testAccount, userRef("jane"), pemFile(t, "leaf-rsa.pem"))
	if !errors.Is(err, ErrMalformedCertificate) {
		t.Fatalf("UploadSigningCertificate(expired) = %v, want MalformedCertificate", err)
	}
}
