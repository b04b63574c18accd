package iam

import (
	"context"
	"errors"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// FieldStatus names an access key's Status parameter.
const FieldStatus Field = "status"

// NotApplicable is what GetAccessKeyLastUsed answers for the service and
// region of a key that was never used (IAM API Reference, AccessKeyLastUsed).
const NotApplicable = "N/A"

// KeyOwner is whose access keys an operation acts on: the user named by the
// request's UserName, or else the caller itself. callerUser is the calling
// user's name ("" when the caller is not a user) and callerRoot tells whether
// it is the account's root. A role session must name a user, as in IAM.
func KeyOwner(userName, callerUser string, callerRoot bool) (store.EntityRef, error) {
	switch {
	case userName != "":
		return store.EntityRef{Kind: store.KindUser, Name: userName}, nil
	case callerUser != "":
		return store.EntityRef{Kind: store.KindUser, Name: callerUser}, nil
	case callerRoot:
		return store.EntityRef{Kind: store.KindAccount}, nil
	}
	return store.EntityRef{}, ErrNonUserCaller()
}

// ErrNonUserCaller is IAM's refusal of an operation on "the calling user"
// made by a caller that is no user, such as a role session. The wording is
// from memory of IAM's answers: no public source quoting it was found.
func ErrNonUserCaller() error {
	return refuse(ErrValidation, "Must specify userName when calling with non-User credentials")
}

func checkOwner(v *Validation, owner store.EntityRef) {
	if owner.Kind == store.KindUser {
		v.Name(FieldUserName, owner.Name, MaxExistingUserName)
	}
}

// CreateAccessKey creates a long-term access key for owner (at most 2). The
// returned key carries its secret: the only time anyone sees it.
func (s *Service) CreateAccessKey(ctx context.Context, account string, owner store.EntityRef) (store.AccessKey, error) {
	var v Validation
	checkOwner(&v, owner)
	if err := v.Err(); err != nil {
		return store.AccessKey{}, err
	}
	var k store.AccessKey
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		k, err = tx.CreateAccessKey(store.AccessKey{Owner: owner, Status: store.KeyActive, Created: s.now().UTC()})
		return err
	})
	return k, err
}

// ListAccessKeys lists owner's long-term access keys, without secrets.
func (s *Service) ListAccessKeys(ctx context.Context, account string, owner store.EntityRef, in ListInput) (Page[store.AccessKey], error) {
	var v Validation
	checkOwner(&v, owner)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.AccessKey]{}, err
	}
	var keys []store.AccessKey
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		keys, err = tx.AccessKeys(owner)
		return err
	})
	if err != nil {
		return Page[store.AccessKey]{}, err
	}
	// The store lists oldest first; the marker needs a sortable key, and the
	// creation time to the nanosecond with the id is one.
	return pageSlice(keys, in, func(k store.AccessKey) string { return k.Created.Format("20060102150405.000000000") + k.ID })
}

// UpdateAccessKey makes one of owner's keys Active or Inactive. An inactive
// key is refused by SigV4 from the next request on.
func (s *Service) UpdateAccessKey(ctx context.Context, account string, owner store.EntityRef, id string, status store.KeyStatus) error {
	var v Validation
	checkOwner(&v, owner)
	checkKeyID(&v, id)
	if status != store.KeyActive && status != store.KeyInactive {
		v.constraint(FieldStatus, string(status), "Member must satisfy enum value set: [Active, Inactive, Expired]")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := ownKey(tx, owner, id); err != nil {
			return err
		}
		return tx.UpdateAccessKey(id, status)
	})
}

// DeleteAccessKey deletes one of owner's keys.
func (s *Service) DeleteAccessKey(ctx context.Context, account string, owner store.EntityRef, id string) error {
	var v Validation
	checkOwner(&v, owner)
	checkKeyID(&v, id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := ownKey(tx, owner, id); err != nil {
			return err
		}
		return tx.DeleteAccessKey(id)
	})
}

// checkKeyID checks an access key id (accessKeyIdType: 16–128 word
// characters).
func checkKeyID(v *Validation, id string) {
	if v.Length(FieldAccessKeyID, id, 16, 128) && !isWord(id) {
		v.constraint(FieldAccessKeyID, id, `Member must satisfy regular expression pattern: [\w]+`)
	}
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ownKey returns NoSuchEntity unless owner holds the long-term key id.
func ownKey(tx store.Tx, owner store.EntityRef, id string) error {
	keys, err := tx.AccessKeys(owner)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.ID == id {
			return nil
		}
	}
	return noSuchEntity("The Access Key with id %s cannot be found.", id)
}

// KeyLastUsed is GetAccessKeyLastUsed's answer. UserName is "" for a root
// key; Used is zero when the key was never used, and then Service and
// Region are "N/A".
type KeyLastUsed struct {
	UserName string
	Used     store.KeyUse
}

// KeyOwnerARN returns the ARN of the user (or the root) that owns the access
// key id in account: GetAccessKeyLastUsed acts on that user, whoever asks
// (Service Authorization Reference: its resource type is user). ok is false
// for a key the account does not hold, or a temporary one.
func (s *Service) KeyOwnerARN(ctx context.Context, account, id string) (owner string, ok bool) {
	k, err := s.store.AccessKey(ctx, id)
	if err != nil || k.AccountID != account || k.Temporary() {
		return "", false
	}
	if k.Owner.Kind != store.KindUser {
		return arn.Root(account).String(), true
	}
	u, err := s.GetUser(ctx, account, k.Owner.Name)
	if err != nil {
		return "", false
	}
	return arn.IAMString(account, arn.TypeUser, u.Path, u.Name), true
}

// GetAccessKeyLastUsed reports when and where an access key of the account
// was last used (recorded by the endpoint in batches, a few seconds late).
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, account, id string) (KeyLastUsed, error) {
	var v Validation
	checkKeyID(&v, id)
	if err := v.Err(); err != nil {
		return KeyLastUsed{}, err
	}
	k, err := s.store.AccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (k.AccountID != account || k.Temporary()) {
		// Another account's key is answered as an unknown one, so that
		// key ids do not reveal which accounts exist.
		return KeyLastUsed{}, noSuchEntity("The Access Key with id %s cannot be found.", id)
	}
	if err != nil {
		return KeyLastUsed{}, err
	}
	out := KeyLastUsed{Used: store.KeyUse{AccessKeyID: k.ID, Time: k.LastUsed, Service: k.LastUsedService, Region: k.LastUsedRegion}}
	if k.Owner.Kind == store.KindUser {
		out.UserName = k.Owner.Name
	}
	if out.Used.Service == "" {
		out.Used.Service = NotApplicable
	}
	if out.Used.Region == "" {
		out.Used.Region = NotApplicable
	}
	return out, nil
}
