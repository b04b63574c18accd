package sts

import (
	"context"
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// GetAccessKeyInfo returns the account an access key belongs to (STS API
// Reference, GetAccessKeyInfo): any key iamq issued, in any account, long
// term or temporary. AWS decodes the account from the key id itself and so
// never answers "unknown"; iamq's ids carry no account, so a key it never
// issued (or one deleted since) is InvalidParameterValue.
func (s *Service) GetAccessKeyInfo(ctx context.Context, keyID string) (string, error) {
	if len(keyID) < 16 || len(keyID) > 128 {
		return "", invalid(keyID, "accessKeyId", "Member must have length between 16 and 128")
	}
	if !nameChars(keyID, "") {
		return "", invalid(keyID, "accessKeyId", `Member must satisfy regular expression pattern: [\w]*`)
	}
	k, err := s.store.AccessKey(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("%w: The access key ID %s is not one iamq issued.", ErrInvalidParameter, keyID)
	}
	if err != nil {
		return "", err
	}
	return k.AccountID, nil
}
