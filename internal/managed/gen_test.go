// gen_test.go writes data/index.json.gz and data/documents.bin, the compact form of
// the AWS managed policies that package managed embeds, from the facts in
// shared/data/managed-policies (see data/README.md for the sources).
//
// Run it with `go generate ./internal/managed` (which runs
// `go test -run TestGenerate -generate`), with shared/ beside the repository.
// It is a test so that it writes the index with the very types index.go
// reads it back with.
package managed

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

var generate = flag.Bool("generate", false, "regenerate data/ from shared/data/managed-policies")

var sharedPolicies = filepath.Join("..", "..", "..", "shared", "data", "managed-policies")

// richPolicies are the per-policy files, richer than the all-policies file
// where both speak of the same policy.
var richPolicies = []string{
	"AmazonMQApiFullAccess", "AmazonMQApiReadOnlyAccess", "AmazonMQFullAccess",
	"AmazonMQReadOnlyAccess", "AmazonMQServiceRolePolicy", "ReadOnlyAccess", "ViewOnlyAccess",
}

type allFile struct {
	Policies []struct {
		PolicyName, Arn, Path  string
		PolicyId               *string
		IsAttachable           bool
		CreateDate, UpdateDate string
		DefaultVersionId       string
		VersionCount           int
		Versions               []struct {
			VersionId            string
			CreateDateAsRecorded string
			Document             json.RawMessage
		}
	}
}

type richFile struct {
	PolicyName, PolicyId, Arn, Path, Description, PolicyType string
	DefaultVersionId, CreateDate, UpdateDate                 string
	IsAttachable, AttachableToCustomerEntities               bool
	VersionHistory                                           struct{ VersionCount int }
	Versions                                                 []struct {
		VersionId  string
		CreateDate *string
		Document   json.RawMessage
		DocumentIn string
	}
}

type genVersion struct {
	id   string
	date *time.Time
	doc  []byte
}

// TestGenerate regenerates data/ when run with -generate.
func TestGenerate(t *testing.T) {
	if !*generate {
		t.Skip("run with -generate to regenerate data/")
	}
	var all allFile
	readJSON(filepath.Join(sharedPolicies, "all-aws-managed-policies.json.gz"), &all)
	rich := map[string]richFile{}
	for _, name := range richPolicies {
		var r richFile
		readJSON(filepath.Join(sharedPolicies, name+".json"), &r)
		if name == "ReadOnlyAccess" {
			var docs richFile
			readJSON(filepath.Join(sharedPolicies, "ReadOnlyAccess.versions.json.gz"), &docs)
			byID := map[string]json.RawMessage{}
			for _, v := range docs.Versions {
				byID[v.VersionId] = v.Document
			}
			for i := range r.Versions {
				r.Versions[i].Document = byID[r.Versions[i].VersionId]
			}
		}
		rich[r.Arn] = r
	}

	var docs bytes.Buffer
	var index []indexPolicy
	for _, p := range all.Policies {
		ip := indexPolicy{Name: p.PolicyName, Path: p.Path, Attachable: p.IsAttachable,
			Create: genDate(p.CreateDate), Update: genDate(p.UpdateDate), Default: p.DefaultVersionId, Count: p.VersionCount}
		if p.PolicyId != nil {
			ip.ID = *p.PolicyId
		} else {
			ip.ID, ip.IDGenerated = generatedID(p.Arn), true
		}
		var versions []genVersion
		if r, ok := rich[p.Arn]; ok {
			ip.ID, ip.IDGenerated, ip.Description = r.PolicyId, false, r.Description
			ip.Create, ip.Update, ip.Default = genDate(r.CreateDate), genDate(r.UpdateDate), r.DefaultVersionId
			ip.Count = r.VersionHistory.VersionCount
			for _, v := range r.Versions {
				var d *time.Time
				if v.CreateDate != nil {
					t := genDate(*v.CreateDate)
					d = &t
				}
				versions = append(versions, genVersion{v.VersionId, d, compact(v.Document)})
			}
			delete(rich, p.Arn)
		} else {
			for i, v := range p.Versions {
				// The source records the policy's creation date in place of a
				// later version's own date when it did not know it
				// (shared/data README): such a date is unknown.
				var d *time.Time
				if t := genDate(v.CreateDateAsRecorded); i == 0 || !t.Equal(ip.Create) {
					d = &t
				}
				versions = append(versions, genVersion{v.VersionId, d, compact(v.Document)})
			}
		}
		ip.Versions = fillDates(versions, ip.Update, &docs)
		index = append(index, ip)
	}
	if len(rich) > 0 {
		log.Fatalf("rich policies not in the all-policies file: %v", rich)
	}
	sort.Slice(index, func(i, j int) bool { return index[i].Name < index[j].Name })

	var idx bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&idx, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	check(enc.Encode(index))
	check(zw.Close())
	check(os.WriteFile(filepath.Join("data", "index.json.gz"), idx.Bytes(), 0o644))
	check(os.WriteFile(filepath.Join("data", "documents.bin"), docs.Bytes(), 0o644))
	fmt.Printf("%d policies, index %d bytes, documents %d bytes\n", len(index), idx.Len(), docs.Len())
}

// fillDates writes each version's document to docs and gives a version whose
// date is unknown the date of the next version whose date is known (the
// policy's update date for the last one), as issue 10 asks.
func fillDates(versions []genVersion, update time.Time, docs *bytes.Buffer) []indexVersion {
	out := make([]indexVersion, len(versions))
	next := update
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		iv := indexVersion{ID: v.id, Create: next, DateUnknown: v.date == nil}
		if v.date != nil {
			iv.Create, next = *v.date, *v.date
		}
		out[i] = iv
	}
	for i, v := range versions {
		out[i].Offset = docs.Len()
		fw, _ := flate.NewWriter(docs, flate.BestCompression)
		_, err := fw.Write(v.doc)
		check(err)
		check(fw.Close())
		out[i].Length = docs.Len() - out[i].Offset
	}
	return out
}

// generatedID derives a stable policy id for a policy the sources name no id
// for: ANPA and 17 base32 characters of the ARN's SHA-256.
func generatedID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return "ANPA" + base32.StdEncoding.EncodeToString(sum[:])[:17]
}

func compact(doc json.RawMessage) []byte {
	if len(doc) == 0 {
		log.Fatal("a version without a document")
	}
	var b bytes.Buffer
	check(json.Compact(&b, doc))
	return b.Bytes()
}

func genDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	check(err)
	return t.UTC()
}

func readJSON(path string, v any) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	var r interface{ Read([]byte) (int, error) } = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		check(err)
		r = zr
	}
	check(json.NewDecoder(r).Decode(v))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
