package audit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/audit"
)

func TestPrincipalQuery(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		principal, want, account string
	}{
		{"arn:aws:iam::111122223333:user/dev/alice", "arn:aws:iam::111122223333:user/alice", "111122223333"},
		{"arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/app", "111122223333"},
		{"arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:sts::111122223333:assumed-role/app/s1", "111122223333"},
	} {
		q, err := audit.PrincipalQuery(tc.principal, t0, t0)
		if err != nil || q.Principal != tc.want || q.Account != tc.account || !q.Since.Equal(t0) {
			t.Errorf("PrincipalQuery(%s) = %+v, %v, want principal %s", tc.principal, q, err, tc.want)
		}
	}
	for _, bad := range []string{"", "alice", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:group/g", "arn:aws:s3:::b"} {
		if _, err := audit.PrincipalQuery(bad, t0, t0); !errors.Is(err, audit.ErrPrincipal) {
			t.Errorf("PrincipalQuery(%q) = %v, want ErrPrincipal", bad, err)
		}
	}
}
