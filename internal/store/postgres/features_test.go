package postgres

import "testing"

func TestSplitFeatures(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		want    features
		wantErr bool
	}{
		{"postgres://h/db?sslmode=disable", "postgres://h/db?sslmode=disable", features{true, true}, false},
		{"postgres://h/db?iamq_notify=off", "postgres://h/db", features{false, true}, false},
		{"postgresql://h/db?iamq_advisory_locks=off&search_path=s", "postgresql://h/db?search_path=s", features{true, false}, false},
		{"postgres://h/db?iamq_notify=on&iamq_advisory_locks=off", "postgres://h/db", features{true, false}, false},
		{"postgres://h/db?iamq_notify=no", "", features{}, true},
		{"host=h dbname=db", "host=h dbname=db", features{true, true}, false},
	} {
		out, got, err := splitFeatures(tc.in)
		if (err != nil) != tc.wantErr || (err == nil && (out != tc.out || got != tc.want)) {
			t.Errorf("splitFeatures(%q) = %q, %+v, %v; want %q, %+v, error %v", tc.in, out, got, err, tc.out, tc.want, tc.wantErr)
		}
	}
}
