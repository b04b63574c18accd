package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseCredentials: no panic on any text; a key that is parsed is
// formatted and parsed again unchanged.
func FuzzParseCredentials(f *testing.F) {
	files, _ := filepath.Glob("testdata/credentials/*.ini")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, content string) {
		k, err := parseCredentials(strings.NewReader(content), profileName)
		if err != nil || k.ID == "" || strings.ContainsAny(k.ID+k.Secret, "\r\n") {
			return
		}
		again, err := parseCredentials(strings.NewReader(formatCredentials(profileName, k, "123456789012", "us-east-1")), profileName)
		if err != nil || again != k {
			t.Fatalf("parse(format(%+v)) = %+v, %v", k, again, err)
		}
	})
}
