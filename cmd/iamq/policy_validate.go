package main

import (
	"context"
	"errors"
)

// runPolicyValidate runs 'iamq policy validate'.
func (m *Main) runPolicyValidate(ctx context.Context, args []string) error {
	return errors.New("iamq policy validate: not built yet")
}
