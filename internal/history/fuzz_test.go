package history

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds stored data to decode: it never panics, and whatever it
// accepts encodes and decodes back to the same entry.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "entries", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), `{"added":["mq:A"],"removed":[]}`)
	}
	f.Add(`{}`, ``)
	f.Fuzz(func(t *testing.T, data, diff string) {
		e, err := decode(data, diff)
		if err != nil {
			return
		}
		d2, diff2, err := e.encode()
		if err != nil {
			t.Fatalf("encode of a decoded entry: %v", err)
		}
		e2, err := decode(d2, diff2)
		if err != nil {
			t.Fatalf("decode of an encoded entry: %v\n%s", err, d2)
		}
		d3, diff3, _ := e2.encode()
		if d3 != d2 || diff3 != diff2 {
			t.Fatalf("not stable:\n%s\n%s", d2, d3)
		}
	})
}
