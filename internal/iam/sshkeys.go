package iam

import (
	"context"
	"errors"

	"github.com/iamq/iamq/internal/store"
)

// SSHEncoding is GetSSHPublicKey's Encoding: SSH or PEM.
type SSHEncoding string

// The encodings of GetSSHPublicKey.
const (
	EncodingSSH SSHEncoding = "SSH"
	EncodingPEM SSHEncoding = "PEM"
)

func sshKeyNotFound(id string) error {
	return noSuchEntity("The Public Key with id %s cannot be found.", id)
}

// checkSSHKeyID checks publicKeyIdType: 20–128 word characters.
func checkSSHKeyID(v *Validation, id string) { checkCredID(v, FieldSSHPublicKeyID, id, 20) }

// UploadSSHPublicKey stores an SSH public key of user (at most 5 per user),
// after parsing it (ParseSSHPublicKey). The same key twice for one user is
// DuplicateSSHPublicKey.
func (s *Service) UploadSSHPublicKey(ctx context.Context, account, user, body string) (Credential, error) {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	v.material(FieldSSHPublicKeyBody, body, MaxSSHPublicKeyBody)
	if err := v.Err(); err != nil {
		return Credential{}, err
	}
	key, err := ParseSSHPublicKey(body)
	if err != nil {
		return Credential{}, err
	}
	var c Credential
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = tx.CreateCredential(store.Credential{Kind: store.CredSSHKey, Owner: userRef(user), Body: body,
			Fingerprint: key.Fingerprint(), Created: s.now().UTC()})
		if errors.Is(err, store.ErrAlreadyExists) {
			return refuse(ErrDuplicateSSHPublicKey, "The SSH public key is already associated with user %s.", user)
		}
		return err
	})
	return c, err
}

func userRef(name string) store.EntityRef { return store.EntityRef{Kind: store.KindUser, Name: name} }

// GetSSHPublicKey returns one of user's SSH keys, its body in encoding.
func (s *Service) GetSSHPublicKey(ctx context.Context, account, user, id string, encoding SSHEncoding) (Credential, error) {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	checkSSHKeyID(&v, id)
	if encoding != EncodingSSH && encoding != EncodingPEM {
		v.constraint(FieldEncoding, string(encoding), "Member must satisfy enum value set: [SSH, PEM]")
	}
	if err := v.Err(); err != nil {
		return Credential{}, err
	}
	var c Credential
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = ownCredential(tx, store.CredSSHKey, userRef(user), id, sshKeyNotFound(id))
		return err
	})
	if err != nil {
		return Credential{}, err
	}
	key, err := ParseSSHPublicKey(c.Body)
	if err != nil {
		return Credential{}, err // the body parsed when it was stored
	}
	if encoding == EncodingPEM {
		c.Body = key.PEM()
	} else {
		c.Body = key.SSH()
	}
	return c, nil
}

// ListSSHPublicKeys lists user's SSH keys, oldest first, without bodies.
func (s *Service) ListSSHPublicKeys(ctx context.Context, account, user string, in ListInput) (Page[Credential], error) {
	return s.listCredentials(ctx, account, store.CredSSHKey, userRef(user), "", in)
}

// listCredentials lists owner's credentials of kind (every user's when
// owner.Kind is ""), a page at a time.
func (s *Service) listCredentials(ctx context.Context, account string, kind store.CredentialKind, owner store.EntityRef,
	service string, in ListInput) (Page[Credential], error) {
	var v Validation
	checkOwner(&v, owner)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[Credential]{}, err
	}
	var cs []Credential
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		cs, err = tx.Credentials(kind, owner, service)
		return err
	})
	if err != nil {
		return Page[Credential]{}, err
	}
	return pageSlice(cs, in, func(c Credential) string { return c.Created.Format("20060102150405.000000000") + c.ID })
}

// UpdateSSHPublicKey makes one of user's SSH keys Active or Inactive.
func (s *Service) UpdateSSHPublicKey(ctx context.Context, account, user, id string, status store.KeyStatus) error {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	checkSSHKeyID(&v, id)
	checkStatus(&v, status)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if _, err := ownCredential(tx, store.CredSSHKey, userRef(user), id, sshKeyNotFound(id)); err != nil {
			return err
		}
		return tx.UpdateCredential(store.CredSSHKey, id, status)
	})
}

// DeleteSSHPublicKey deletes one of user's SSH keys.
func (s *Service) DeleteSSHPublicKey(ctx context.Context, account, user, id string) error {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	checkSSHKeyID(&v, id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if _, err := ownCredential(tx, store.CredSSHKey, userRef(user), id, sshKeyNotFound(id)); err != nil {
			return err
		}
		return tx.DeleteCredential(store.CredSSHKey, id)
	})
}
