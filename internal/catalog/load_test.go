package catalog

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	mq, err := os.ReadFile("testdata/mq.json")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(mq)
	zw.Close()
	tests := []struct {
		name    string
		input   string
		wantErr bool
		actions int
	}{
		{"one service", string(mq), false, 27},
		{"gzipped", gz.String(), false, 27},
		{"all services form", `{"schemaVersion":1,"services":{"x":{"servicePrefix":"x","actions":[{"name":"A","accessLevel":"Read"}]}}}`, false, 1},
		{"access level split from the raw string", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A","accessLevel":"Tagging, Write"}]}`, false, 1},
		{"not json", `nope`, true, 0},
		{"schema 2", `{"schemaVersion":2,"servicePrefix":"x","actions":[]}`, true, 0},
		{"no services", `{"schemaVersion":1}`, true, 0},
		{"misfiled service", `{"schemaVersion":1,"services":{"y":{"servicePrefix":"x"}}}`, true, 0},
		{"unknown level", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A","accessLevel":"Admin"}]}`, true, 0},
		{"no level", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A"}]}`, true, 0},
		{"wildcard in a name", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A*","accessLevel":"Read"}]}`, true, 0},
		{"duplicate action", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A","accessLevel":"Read"},{"name":"a","accessLevel":"Read"}]}`, true, 0},
		{"undefined resource type", `{"schemaVersion":1,"servicePrefix":"x","actions":[{"name":"A","accessLevel":"Read","resourceTypes":[{"name":"t"}]}]}`, true, 0},
		{"bad date", `{"schemaVersion":1,"source":{"dataUpdatedAt":"yesterday"},"servicePrefix":"x","actions":[]}`, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(strings.NewReader(tt.input), LoadOptions{})
			if tt.wantErr {
				if !errors.Is(err, ErrFormat) {
					t.Errorf("Load() error = %v, want ErrFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() = %v", err)
			}
			n := 0
			for _, s := range c.Services() {
				n += len(s.Actions())
			}
			if n != tt.actions {
				t.Errorf("Load() has %d actions, want %d", n, tt.actions)
			}
			if len(c.GlobalConditionKeys()) != 59 {
				t.Errorf("Load() global keys = %d, want the embedded 59", len(c.GlobalConditionKeys()))
			}
		})
	}
}

func TestDecodeCorrupt(t *testing.T) {
	tests := map[string][]byte{
		"empty":         nil,
		"bad magic":     []byte("IAMQCAT0"),
		"short index":   []byte(magic + "\x05ab"),
		"blob outside":  append([]byte(magic), encodedIndexWithBlob(100, 10)...),
		"truncated num": []byte(magic + "\x01\xff"),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeCompact(b); !errors.Is(err, ErrCorrupt) {
				t.Errorf("decodeCompact() = %v, want ErrCorrupt", err)
			}
		})
	}
	if _, err := decodeService("x", []byte("not deflate"), 10); !errors.Is(err, ErrCorrupt) {
		t.Errorf("decodeService(garbage) = %v, want ErrCorrupt", err)
	}
}

// encodedIndexWithBlob is an index naming one service whose blob lies at
// off, clen bytes long, with no blob data behind it.
func encodedIndexWithBlob(off, clen int) []byte {
	var ix enc
	for range 5 {
		ix.str("")
	}
	ix.uint(0)
	ix.uint(1)
	ix.str("x")
	ix.str("X")
	ix.uint(1)
	ix.uint(off)
	ix.uint(clen)
	ix.uint(5)
	var out enc
	out.uint(len(ix.b))
	return append(out.b, ix.b...)
}

// FuzzLoad loads arbitrary catalog files: no panic, and whatever loads
// survives the compact form.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"testdata/mq.json", "testdata/diff/old.json", "testdata/diff/new.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Load(bytes.NewReader(b), LoadOptions{GlobalKeys: strings.NewReader(`{"conditionKeys":[]}`)})
		if err != nil {
			return
		}
		enc, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeCompact(enc)
		if err != nil {
			t.Fatalf("decodeCompact(MarshalBinary()) = %v", err)
		}
		for i, s := range back.Services() {
			if got, want := dumpService(s), dumpService(c.Services()[i]); got != want {
				t.Fatalf("round trip of %s:\n%s\nwant\n%s", s.Prefix, got, want)
			}
		}
	})
}

// FuzzDecodeService decodes arbitrary service blobs: errors, never panics.
func FuzzDecodeService(f *testing.F) {
	c := loadFile(f, "testdata/mq.json")
	mq, _ := c.Service("mq")
	f.Add(encodeService(mq.data()))
	f.Add([]byte{1, 1, 'x', 0, 0, 1, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		decodeServiceRaw("x", raw)
	})
}

func TestOverlay(t *testing.T) {
	base := Embedded()
	newer := loadFile(t, "testdata/diff/new.json") // mq (5 actions), same, fresh
	c := base.Overlay(newer)
	if got, want := len(c.Services()), len(base.Services())+2; got != want {
		t.Errorf("len(Overlay().Services()) = %d, want %d (456 + same + fresh)", got, want)
	}
	mq, _ := c.Service("mq")
	if got := len(mq.Actions()); got != 5 {
		t.Errorf("overlaid mq has %d actions, want the newer file's 5", got)
	}
	if _, ok := c.Action("ec2:RunInstances"); !ok {
		t.Errorf("overlay lost ec2:RunInstances from the base")
	}
	if c.Source().Version != "new" {
		t.Errorf("Overlay().Source().Version = %q, want new", c.Source().Version)
	}
}
