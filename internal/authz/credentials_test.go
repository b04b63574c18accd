package authz

import (
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestIssuedForm(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{store.NewID(store.PrefixAccessKey), true},
		{store.NewID(store.PrefixTemporaryKey), true},
		{"AKIAIOSFODNN7EXAMPLE", true},
		{"test", false},
		{"111122223333", false},
		{"AKIA0000000000000000", false}, // 0 and 1 are not in the id alphabet
		{"AKIAABCDEFGHIJKLMNOPQ", false},
		{"AROAABCDEFGHIJKLMNOP", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := issuedForm(tt.id); got != tt.want {
				t.Errorf("issuedForm(%s) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}
