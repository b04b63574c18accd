package main

import (
	"context"
	"errors"
)

// runCatalog runs 'iamq catalog'.
func (m *Main) runCatalog(ctx context.Context, args []string) error {
	return errors.New("iamq catalog: not built yet")
}
