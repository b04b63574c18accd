package main

import (
	"context"
	"errors"
)

// runServe runs 'iamq serve'.
func (m *Main) runServe(ctx context.Context, args []string) error {
	return errors.New("iamq serve: not built yet")
}
