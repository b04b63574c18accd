package main

import (
	"context"
	"errors"
)

// runPolicy runs 'iamq policy'.
func (m *Main) runPolicy(ctx context.Context, args []string) error {
	return errors.New("iamq policy: not built yet")
}
