package policy

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSize(t *testing.T) {
	tests := []struct {
		name, text string
		want       int
	}{
		{"empty", "", 0},
		{"white space only", " \t\r\n", 0},
		{"compact", `{"a":"b"}`, 9},
		{"spaces inside strings count not", `{"a": "b c"}`, 10},
		{"latin-1 is one character", `"é"`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Size(tt.text); got != tt.want {
				t.Errorf("Size(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

// TestSizeManaged checks Size against the sizes shared/data records for the
// default versions of ReadOnlyAccess (v188) and ViewOnlyAccess (v45).
func TestSizeManaged(t *testing.T) {
	want := map[string]int{"ReadOnlyAccess v188": 91266, "ViewOnlyAccess v45": 12303}
	got := map[string]int{}
	for _, file := range []string{"ReadOnlyAccess.versions.json.gz", "ViewOnlyAccess.json"} {
		if raceEnabled && file == "ReadOnlyAccess.versions.json.gz" {
			continue // 14 MB: too slow to scan under the race detector
		}
		for _, v := range loadFileOrSkip(t, filepath.Join(sharedData, file)) {
			name := v.Policy + " " + v.Version
			if _, ok := want[name]; ok {
				got[name] = Size(v.text(t))
			}
		}
	}
	for name, n := range got {
		if n != want[name] {
			t.Errorf("Size(%s) = %d, want %d", name, n, want[name])
		}
	}
	if len(got) == 0 {
		t.Error("found neither ReadOnlyAccess v188 nor ViewOnlyAccess v45")
	}
}

func TestSizeFinding(t *testing.T) {
	small := `{"Version": "2012-10-17"}`
	big := `{"Id": "` + strings.Repeat("x", 6200) + `"}`
	mid := `{"Id": "` + strings.Repeat("x", 3000) + `"}`
	tests := []struct {
		name, text string
		kind       Kind
		want       string // the message, or "" for no finding
	}{
		{"small identity", small, KindIdentity, ""},
		{"big identity", big, KindIdentity, "Cannot exceed quota for PolicySize: 6144"},
		{"mid identity", mid, KindIdentity, ""},
		{"mid trust", mid, KindTrust, "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"big resource", big, KindResource, ""},
		{"mid scp", mid, KindSCP, ""},
		{"white space counts in an SCP", `{"Id": "x"}` + strings.Repeat(" ", MaxSCP), KindSCP, "Policy exceeds the maximum allowed size of 5120 characters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := SizeFinding(tt.text, tt.kind)
			if ok != (tt.want != "") || f.Message != tt.want {
				t.Errorf("SizeFinding(%s) = %q, %v, want %q", tt.name, f.Message, ok, tt.want)
			}
			if ok && f.Code != CodeSize {
				t.Errorf("SizeFinding(%s).Code = %s, want %s", tt.name, f.Code, CodeSize)
			}
		})
	}
}
