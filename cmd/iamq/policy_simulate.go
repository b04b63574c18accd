package main

import (
	"context"
	"errors"
)

// runPolicySimulate runs 'iamq policy simulate'.
func (m *Main) runPolicySimulate(ctx context.Context, args []string) error {
	return errors.New("iamq policy simulate: not built yet")
}
