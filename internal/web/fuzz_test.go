package web

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// FuzzHistoryQuery: any query string is refused or read within bounds.
func FuzzHistoryQuery(f *testing.F) {
	for _, s := range []string{"service=mq", "policy=ReadOnlyAccess&maxItems=5", "diff=true&marker=abc", "maxItems=-1", "%zz", "a=1&a=2"} {
		f.Add(s)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "iamq.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	h := New(Options{Policies: managed.NewRegistry(managed.Builtin(), st, managed.RegistryOptions{}), Catalog: catalog.Embedded()})
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/managed-policies/history", nil)
		r.URL.RawQuery = raw
		q, err := h.historyQuery(r)
		if err != nil {
			return
		}
		if q.MaxItems < 0 || q.MaxItems > 1000 || len(q.Service) > maxName || len(q.Marker) > maxMarker {
			t.Fatalf("accepted out of bounds: %+v", q)
		}
	})
}

// FuzzAnnotate: any document is refused or annotated line for line, each
// action taken from within its line.
func FuzzAnnotate(f *testing.F) {
	f.Add(`{"Statement":[{"Effect":"Allow","Action":["mq:CreateBroker","ec2:Describe*"],"Resource":"*"}]}`)
	f.Add(`{"Statement":{"Effect":"Allow","NotAction":"a\"b:c","Resource":"*"}}`)
	f.Add(`{"Action":"x"}`)
	cat := catalog.Embedded()
	f.Fuzz(func(t *testing.T, doc string) {
		if len(doc) > 4096 {
			return
		}
		lines, err := annotate(cat, doc)
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.Action != "" && (l.Level == "" || !strings.HasSuffix(l.Before, `"`) || !strings.HasPrefix(l.After, `"`)) {
				t.Fatalf("bad line %+v", l)
			}
		}
	})
}
