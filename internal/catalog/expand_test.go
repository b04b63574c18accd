package catalog

import (
	"slices"
	"testing"
)

// TestExpand checks expansions against cases counted by hand from the Amazon
// MQ table of the Service Authorization Reference (testdata/mq.json).
func TestExpand(t *testing.T) {
	c := shared()
	tests := []struct {
		name     string
		patterns []string
		want     []string // the exact actions, or nil to check only the count
		count    int
	}{
		{"prefix glob", []string{"mq:Describe*"}, []string{
			"mq:DescribeBroker", "mq:DescribeBrokerEngineTypes", "mq:DescribeBrokerInstanceOptions",
			"mq:DescribeConfiguration", "mq:DescribeConfigurationRevision", "mq:DescribeSharedResources",
			"mq:DescribeUser"}, 7},
		{"question mark", []string{"mq:?istBrokers"}, []string{"mq:ListBrokers"}, 1},
		{"case-insensitive infix", []string{"MQ:*broker*"}, []string{
			"mq:CreateBroker", "mq:CreateReplicaBroker", "mq:DeleteBroker", "mq:DescribeBroker",
			"mq:DescribeBrokerEngineTypes", "mq:DescribeBrokerInstanceOptions", "mq:ListBrokers",
			"mq:RebootBroker", "mq:UpdateBroker", "mq:UpdateBrokerAccessConfiguration"}, 10},
		{"suffix", []string{"mq:*Broker"}, []string{
			"mq:CreateBroker", "mq:CreateReplicaBroker", "mq:DeleteBroker", "mq:DescribeBroker",
			"mq:RebootBroker", "mq:UpdateBroker"}, 6},
		{"users", []string{"mq:*user*"}, []string{
			"mq:CreateUser", "mq:DeleteUser", "mq:DescribeUser", "mq:ListUsers", "mq:UpdateUser"}, 5},
		{"whole service", []string{"mq:*"}, nil, 27},
		{"deduplicated union", []string{"mq:Describe*", "mq:DescribeBroker*", "mq:ListBrokers"}, nil, 8},
		{"exact name", []string{"mq:createbroker"}, []string{"mq:CreateBroker"}, 1},
		{"one character", []string{"mq:Describe?roker"}, []string{"mq:DescribeBroker"}, 1},
		{"question mark over the colon", []string{"mq?ListBrokers"}, []string{"mq:ListBrokers"}, 1},
		{"wildcard in the prefix", []string{"m?:ListBrokers"}, []string{"mq:ListBrokers"}, 1},
		{"everything", []string{"*"}, nil, 22091},
		{"two services", []string{"mq:List*", "iam:PassRole"}, []string{
			"iam:PassRole", "mq:ListBrokers", "mq:ListConfigurationRevisions", "mq:ListConfigurations",
			"mq:ListTags", "mq:ListUsers"}, 6},
		{"no match", []string{"mq:Frobnicate*"}, nil, 0},
		{"unknown service", []string{"nope:*"}, nil, 0},
		{"second colon", []string{"mq:*:*"}, nil, 0},
		{"empty", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Names(c.Expand(tt.patterns...))
			if len(got) != tt.count {
				t.Errorf("Expand(%q) = %d actions, want %d", tt.patterns, len(got), tt.count)
			}
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("Expand(%q) = %q, want %q", tt.patterns, got, tt.want)
			}
		})
	}
}

func TestExpandNot(t *testing.T) {
	c := shared()
	tests := []struct {
		patterns []string
		count    int
	}{
		{[]string{"*"}, 0},
		{[]string{"mq:*"}, 22091 - 27},
		{[]string{"mq:*", "iam:*", "ec2:*"}, 22091 - 27 - 190 - 826},
		{nil, 22091},
	}
	for _, tt := range tests {
		got := c.ExpandNot(tt.patterns...)
		if len(got) != tt.count {
			t.Errorf("ExpandNot(%q) = %d actions, want %d", tt.patterns, len(got), tt.count)
		}
		for _, a := range got {
			for _, p := range tt.patterns {
				if MatchAction(p, a.String()) {
					t.Fatalf("ExpandNot(%q) holds %s, which %q matches", tt.patterns, a, p)
				}
			}
		}
	}
}

func TestServiceExpand(t *testing.T) {
	mq, _ := Embedded().Service("mq")
	if got := Names(mq.Expand("list*")); len(got) != 5 || got[0] != "mq:ListBrokers" {
		t.Errorf(`mq.Expand("list*") = %q, want the 5 List actions`, got)
	}
}

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "mq:CreateBroker", true},
		{"mq:*", "MQ:CreateBroker", true},
		{"mq:create*", "mq:CreateBroker", true},
		{"mq:Create*", "mq:DeleteBroker", false},
		{"mq:?reateBroker", "mq:CreateBroker", true},
		{"mq:??reateBroker", "mq:CreateBroker", false},
		{"mq:CreateBroker*", "mq:CreateBroker", true},
		{"mq:CreateBroker?", "mq:CreateBroker", false},
		{"*:*", "mq:CreateBroker", true},
		{"*:*", "nocolon", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
		{"", "mq:x", false},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}
