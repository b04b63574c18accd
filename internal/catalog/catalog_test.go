package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// shared is one embedded catalog for the tests that decode every service,
// so that the suite (run with -race in CI) decodes them once.
var shared = sync.OnceValue(Embedded)

// TestEmbedded checks that catalog.bin is what go generate makes of data/
// and that every service in it decodes.
func TestEmbedded(t *testing.T) {
	c := shared()
	if got := len(c.Services()); got != 456 {
		t.Errorf("len(Services()) = %d, want 456", got)
	}
	want := time.Date(2026, 9, 26, 4, 46, 59, 905e6, time.UTC)
	if got := c.Source().UpdatedAt; !got.Equal(want) {
		t.Errorf("Source().UpdatedAt = %v, want %v", got, want)
	}
	if got := c.Source().Version; got != "0.21.202609261" {
		t.Errorf("Source().Version = %q", got)
	}
	if got := len(c.GlobalConditionKeys()); got != 59 {
		t.Errorf("len(GlobalConditionKeys()) = %d, want 59", got)
	}
	total := 0
	for _, s := range c.Services() {
		if got := len(s.Actions()); got != s.ActionCount() {
			t.Errorf("%s: len(Actions()) = %d, ActionCount() = %d", s.Prefix, got, s.ActionCount())
		}
		total += s.ActionCount()
	}
	if total != 22091 {
		t.Errorf("total actions = %d, want 22091", total)
	}
	h := sha256.New()
	for _, name := range []string{"data/all-services.json.gz", "data/global-condition-keys.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	if got, want := c.Source().Digest, hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("catalog.bin was made from data with digest %s, data/ has %s: run go generate ./internal/catalog", got, want)
	}
}

// TestCompactRoundTrip encodes a loaded service and decodes it back.
func TestCompactRoundTrip(t *testing.T) {
	loaded := loadFile(t, "testdata/mq.json")
	b, err := loaded.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeCompact(b)
	if err != nil {
		t.Fatalf("decodeCompact(MarshalBinary()) = %v", err)
	}
	embedded, _ := Embedded().Service("mq")
	for _, c := range []*Catalog{back, loaded} {
		mq, ok := c.Service("mq")
		if !ok {
			t.Fatal("mq missing")
		}
		if got, want := dumpService(mq), dumpService(embedded); got != want {
			t.Errorf("service after round trip:\n%s\nwant (embedded):\n%s", got, want)
		}
	}
}

// dumpService prints a service's content in a comparable form.
func dumpService(s *Service) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q\n", s.Prefix, s.Name)
	for _, t := range s.ResourceTypes() {
		fmt.Fprintf(&b, "type %s %s %v\n", t.Name, t.ARNFormat, t.ConditionKeys)
	}
	for _, k := range s.ConditionKeys() {
		fmt.Fprintf(&b, "key %s %s %q\n", k.Name, k.Type, k.Description)
	}
	for _, a := range s.Actions() {
		fmt.Fprintf(&b, "action %s %q %s keys=%v deps=%v\n", a.String(), a.Description, a.AccessLevel(), a.ConditionKeys, a.DependentActions)
		for _, r := range a.ResourceTypes {
			fmt.Fprintf(&b, "  on %s required=%v keys=%v deps=%v\n", r.Type.Name, r.Required, r.ConditionKeys, r.DependentActions)
		}
	}
	return b.String()
}

// loadFile loads a catalog file from testdata.
func loadFile(t testing.TB, name string) *Catalog {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Load(f, LoadOptions{})
	if err != nil {
		t.Fatalf("Load(%s) = %v", name, err)
	}
	return c
}

// TestAmazonMQ checks the counts the issue and shared/data/README.md give:
// 27 actions, 13 Write, 7 Read, 5 List and 2 "Tagging, Write".
func TestAmazonMQ(t *testing.T) {
	mq, ok := Embedded().Service("mq")
	if !ok {
		t.Fatal(`Service("mq") not found`)
	}
	if mq.Name != "Amazon MQ" {
		t.Errorf("Name = %q, want Amazon MQ", mq.Name)
	}
	counts := map[string]int{}
	for _, a := range mq.Actions() {
		counts[a.AccessLevel()]++
	}
	want := map[string]int{"Write": 13, "Read": 7, "List": 5, "Tagging, Write": 2}
	if len(mq.Actions()) != 27 {
		t.Errorf("len(Actions()) = %d, want 27", len(mq.Actions()))
	}
	for level, n := range want {
		if counts[level] != n {
			t.Errorf("actions with level %q = %d, want %d", level, counts[level], n)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("levels = %v, want %v", counts, want)
	}
	b, ok := mq.ResourceType("brokers")
	if !ok || b.ARNFormat != "arn:${Partition}:mq:${Region}:${Account}:broker:${BrokerName}:${BrokerId}" {
		t.Errorf(`ResourceType("brokers") = %+v, %v`, b, ok)
	}
}

func TestLookup(t *testing.T) {
	c := Embedded()
	tests := []struct {
		name   string
		action string
		want   string // "" when not found
		levels string
	}{
		{"exact", "mq:CreateBroker", "mq:CreateBroker", "Write"},
		{"case folded", "MQ:createbroker", "mq:CreateBroker", "Write"},
		{"two levels", "mq:CreateTags", "mq:CreateTags", "Tagging, Write"},
		{"permissions management", "iam:PutUserPolicy", "iam:PutUserPolicy", "Permissions management, Write"},
		{"ec2", "ec2:describeinstances", "ec2:DescribeInstances", "List"},
		{"unknown action", "mq:CreateBrokers", "", ""},
		{"unknown service", "nope:CreateBroker", "", ""},
		{"no colon", "mqCreateBroker", "", ""},
		{"wildcard is not a lookup", "mq:*", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := c.Action(tt.action)
			if tt.want == "" {
				if ok {
					t.Errorf("Action(%q) = %v, want not found", tt.action, a)
				}
				return
			}
			if !ok || a.String() != tt.want || a.AccessLevel() != tt.levels {
				t.Errorf("Action(%q) = %v (%v), want %s (%s)", tt.action, a, ok, tt.want, tt.levels)
			}
		})
	}
}

func TestActionDetails(t *testing.T) {
	c := Embedded()
	a, _ := c.Action("mq:CreateBroker")
	if a.SupportsResourceLevel() || !a.Is(Write) || a.Is(Read) {
		t.Errorf("mq:CreateBroker: resource-level %v, Write %v, Read %v", a.SupportsResourceLevel(), a.Is(Write), a.Is(Read))
	}
	d, _ := c.Action("mq:DeleteBroker")
	if len(d.ResourceTypes) != 1 || d.ResourceTypes[0].Type.Name != "brokers" || !d.ResourceTypes[0].Required {
		t.Errorf("mq:DeleteBroker resource types = %+v", d.ResourceTypes)
	}
	tests := []struct {
		key, want string
		typ       KeyType
	}{
		{"aws:SourceIp", "aws:SourceIp", TypeIPAddress},
		{"AWS:SOURCEIP", "aws:SourceIp", TypeIPAddress},
		{"aws:RequestTag/team", "aws:RequestTag/tag-key", TypeString},
		{"aws:TagKeys", "aws:TagKeys", TypeArrayOfString},
		{"ec2:InstanceType", "ec2:InstanceType", TypeString},
		{"ec2:ResourceTag/env", "ec2:ResourceTag/${TagKey}", TypeString},
		{"iam:PassedToService", "iam:PassedToService", TypeString},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			k, ok := c.ConditionKey(tt.key)
			if !ok || k.Name != tt.want || k.Type != tt.typ {
				t.Errorf("ConditionKey(%q) = %+v, %v; want %s %s", tt.key, k, ok, tt.want, tt.typ)
			}
		})
	}
	if k, ok := c.ConditionKey("ec2:NoSuchKey"); ok {
		t.Errorf("ConditionKey(ec2:NoSuchKey) = %+v, want not found", k)
	}
}

// TestActionLookupAllocs pins the zero-allocation lookup.
func TestActionLookupAllocs(t *testing.T) {
	c := Embedded()
	ec2, _ := c.Service("ec2")
	ec2.Actions()
	allocs := testing.AllocsPerRun(100, func() {
		if _, ok := c.Action("EC2:describeInstances"); !ok {
			t.Fatal("not found")
		}
		if _, ok := ec2.Action("RunInstances"); !ok {
			t.Fatal("not found")
		}
	})
	if allocs != 0 {
		t.Errorf("Action allocates %v times, want 0", allocs)
	}
}

// TestConcurrentFirstUse decodes a service from many goroutines at once
// (run with -race).
func TestConcurrentFirstUse(t *testing.T) {
	c := Embedded()
	done := make(chan *Action)
	for range 8 {
		go func() {
			a, _ := c.Action("ec2:RunInstances")
			done <- a
		}()
	}
	first := <-done
	for range 7 {
		if a := <-done; a != first || a == nil {
			t.Errorf("concurrent Action(ec2:RunInstances) = %p, want %p", a, first)
		}
	}
}

func TestKeyTemplateMatch(t *testing.T) {
	tests := []struct {
		template, key string
		want          bool
	}{
		{"aws:RequestTag/${TagKey}", "aws:RequestTag/team", true},
		{"aws:RequestTag/${TagKey}", "AWS:requesttag/Team", true},
		{"aws:RequestTag/${TagKey}", "aws:RequestTag/", false},
		{"aws:RequestTag/tag-key", "aws:RequestTag/team", true},
		{"aws:TagKeys", "aws:tagkeys", true},
		{"aws:TagKeys", "aws:TagKeys2", false},
		{"x:${A}/mid/${B}", "x:a/mid/b", true},
		{"x:${A}/mid/${B}", "x:a/b/mid/c", true},
		{"x:${A}/mid/${B}", "x:a/mid/", false},
		{"x:${A}:sub", "x:org/repo:sub", true},
		{"x:${A}:sub", "x:org/repo:aud", false},
	}
	for _, tt := range tests {
		if got := keyTemplateMatch(tt.template, tt.key); got != tt.want {
			t.Errorf("keyTemplateMatch(%q, %q) = %v, want %v", tt.template, tt.key, got, tt.want)
		}
	}
}

// TestConditionKeyInstances looks up an instance of every template key of
// every service ("${TagKey}" replaced by "k1") and finds the template.
func TestConditionKeyInstances(t *testing.T) {
	c := shared()
	n := 0
	for _, s := range c.Services() {
		for _, k := range s.ConditionKeys() {
			if !strings.Contains(k.Name, "${") {
				continue
			}
			n++
			inst := k.Name
			for strings.Contains(inst, "${") {
				i := strings.Index(inst, "${")
				j := strings.IndexByte(inst[i:], '}')
				inst = inst[:i] + "k1" + inst[i+j+1:]
			}
			got, ok := s.ConditionKey(inst)
			if !ok || !keyTemplateMatch(got.Name, inst) {
				t.Errorf("%s.ConditionKey(%q) = %v, %v; want a template it instantiates (%s)", s.Prefix, inst, got, ok, k.Name)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d template keys in the catalog", n)
	}
}

func TestLoadGlobalKeys(t *testing.T) {
	services, err := os.Open("testdata/mq.json")
	if err != nil {
		t.Fatal(err)
	}
	defer services.Close()
	globals := strings.NewReader(`{"conditionKeys": [{"name": "aws:SourceIp", "category": "network", "type": "IPAddress"}]}`)
	c, err := Load(services, LoadOptions{GlobalKeys: globals})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.GlobalConditionKeys(); len(got) != 1 || got[0].Category != "network" || got[0].Type != TypeIPAddress {
		t.Errorf("GlobalConditionKeys() = %+v, want the one given", got)
	}
	if len(c.Source().Digest) != 64 {
		t.Errorf("Source().Digest = %q, want a hex SHA-256", c.Source().Digest)
	}
	_, err = Load(strings.NewReader(`{"schemaVersion":1,"servicePrefix":"x","actions":[]}`),
		LoadOptions{GlobalKeys: strings.NewReader(`{"conditionKeys": [{"type": "String"}]}`)})
	if !errors.Is(err, ErrFormat) {
		t.Errorf("Load(global key without a name) = %v, want ErrFormat", err)
	}
}
