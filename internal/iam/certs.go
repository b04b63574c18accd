package iam

import (
	"context"
	"crypto/rsa"
	"errors"

	"github.com/iamq/iamq/internal/store"
)

func certNotFound(id string) error {
	return noSuchEntity("The Certificate with id %s cannot be found.", id)
}

// checkCertID checks certificateIdType: 24–128 word characters.
func checkCertID(v *Validation, id string) { checkCredID(v, FieldCertificateID, id, 24) }

// UploadSigningCertificate stores an X.509 signing certificate of owner (a
// user, or the root: KindAccount), at most 2 per owner. The body must be one
// PEM certificate, not expired, with an RSA key; a certificate that any
// owner of the account holds already is DuplicateCertificate.
func (s *Service) UploadSigningCertificate(ctx context.Context, account string, owner store.EntityRef, body string) (Credential, error) {
	var v Validation
	checkOwner(&v, owner)
	v.material(FieldCertificateBody, body, MaxCertificateBody)
	if err := v.Err(); err != nil {
		return Credential{}, err
	}
	cert, err := ParseCertificatePEM(body)
	if err != nil {
		return Credential{}, err
	}
	if err := CheckValidity(cert, s.now()); err != nil {
		return Credential{}, err
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		// AWS's text for it is not published.
		return Credential{}, refuse(ErrInvalidCertificate, "The certificate's key algorithm %s is not supported: signing certificates hold RSA keys.", cert.PublicKeyAlgorithm)
	}
	var c Credential
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = tx.CreateCredential(store.Credential{Kind: store.CredSigningCert, Owner: owner, Body: body,
			Fingerprint: CertificateFingerprint(cert), Created: s.now().UTC()})
		if errors.Is(err, store.ErrAlreadyExists) {
			return refuse(ErrDuplicateCertificate, "The same certificate is already associated with an IAM user in the account.")
		}
		return err
	})
	return c, err
}

// ListSigningCertificates lists owner's signing certificates, oldest first,
// with their bodies.
func (s *Service) ListSigningCertificates(ctx context.Context, account string, owner store.EntityRef, in ListInput) (Page[Credential], error) {
	return s.listCredentials(ctx, account, store.CredSigningCert, owner, "", in)
}

// UpdateSigningCertificate makes one of owner's signing certificates Active
// or Inactive.
func (s *Service) UpdateSigningCertificate(ctx context.Context, account string, owner store.EntityRef, id string, status store.KeyStatus) error {
	var v Validation
	checkOwner(&v, owner)
	checkCertID(&v, id)
	checkStatus(&v, status)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if _, err := ownCredential(tx, store.CredSigningCert, owner, id, certNotFound(id)); err != nil {
			return err
		}
		return tx.UpdateCredential(store.CredSigningCert, id, status)
	})
}

// DeleteSigningCertificate deletes one of owner's signing certificates.
func (s *Service) DeleteSigningCertificate(ctx context.Context, account string, owner store.EntityRef, id string) error {
	var v Validation
	checkOwner(&v, owner)
	checkCertID(&v, id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if _, err := ownCredential(tx, store.CredSigningCert, owner, id, certNotFound(id)); err != nil {
			return err
		}
		return tx.DeleteCredential(store.CredSigningCert, id)
	})
}
