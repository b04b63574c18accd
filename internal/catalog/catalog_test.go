package catalog

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// loadData loads the JSON in data/, the source of catalog.bin.
func loadData(t testing.TB) *Catalog {
	t.Helper()
	services, err := os.Open("data/all-services.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer services.Close()
	globals, err := os.Open("data/global-condition-keys.json")
	if err != nil {
		t.Fatal(err)
	}
	defer globals.Close()
	c, err := Load(services, LoadOptions{GlobalKeys: globals})
	if err != nil {
		t.Fatalf("Load(data) = %v", err)
	}
	return c
}

// TestEmbedded checks that catalog.bin is what go generate makes of data/
// and that every service in it decodes.
func TestEmbedded(t *testing.T) {
	c := Embedded()
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
	if testing.Short() {
		return
	}
	regen, err := loadData(t).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(regen, compact) {
		t.Errorf("catalog.bin is stale: run go generate ./internal/catalog")
	}
	again, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, compact) {
		t.Errorf("MarshalBinary(Embedded()) differs from catalog.bin")
	}
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
