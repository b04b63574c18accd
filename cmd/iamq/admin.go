package main

import (
	"context"
	"errors"
)

// runAdmin runs 'iamq admin'.
func (m *Main) runAdmin(ctx context.Context, args []string) error {
	return errors.New("iamq admin: not built yet")
}
