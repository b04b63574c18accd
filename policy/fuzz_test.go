package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks, for any text: Judge names a message whenever it refuses;
// Parse does not panic; when it succeeds,
// Validate and Print do not panic either, and Parse(Print(d)) succeeds and is
// Equal to d, and printing that again gives the same text. It is seeded with the testdata corpus and the Amazon MQ managed
// policies.
func FuzzParse(f *testing.F) {
	for _, c := range corpus(f) {
		b, err := os.ReadFile(c.path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, name := range []string{"AmazonMQFullAccess.json", "AmazonMQServiceRolePolicy.json"} {
		path := filepath.Join(sharedData, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, v := range loadFile(f, path) {
			f.Add(v.text(f))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if f, refused := Judge(text, KindIdentity, StorageManaged); refused && f.Message == "" {
			t.Fatalf("Judge(%q) refuses with no message: %+v", text, f)
		}
		d, err := Parse(text)
		if err != nil {
			if _, ok := ParseFinding(err, KindIdentity); !ok {
				t.Fatalf("Parse(%q) = %v, not a *ParseError", text, err)
			}
			return
		}
		for _, k := range Kinds() {
			d.Validate(k)
		}
		printed := Print(d)
		d2, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(Print(Parse(%q))) = %v\nprinted:\n%s", text, err, printed)
		}
		if !Equal(d, d2) {
			t.Fatalf("Parse(Print(Parse(%q))) is not Equal to Parse(%[1]q)\nprinted:\n%s", text, printed)
		}
		if again := Print(d2); again != printed {
			t.Fatalf("Print is not idempotent on %q:\n%s\nthen\n%s", text, printed, again)
		}
	})
}
