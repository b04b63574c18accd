package main

import (
	"errors"
	"strings"
	"testing"
)

const diffData = "../../internal/catalog/testdata/diff/"

func TestCatalogCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string // lines or fragments stdout must hold
		lines   int      // the exact number of output lines, or -1 for any
		wantErr error
	}{
		{"expand", []string{"catalog", "expand", "mq:*Broker*"}, []string{"mq:CreateBroker", "mq:UpdateBrokerAccessConfiguration"}, 10, nil},
		{"expand matching nothing", []string{"catalog", "expand", "mq:Frob*"}, nil, 0, nil},
		{"expand case-insensitive", []string{"catalog", "expand", "MQ:?istbrokers"}, []string{"mq:ListBrokers"}, 1, nil},
		{"expand not", []string{"catalog", "expand", "--not", "*"}, nil, 0, nil},
		{"expand from a file", []string{"catalog", "expand", "--catalog", diffData + "new.json", "mq:Describe*"},
			[]string{"mq:describebroker", "mq:DescribeUser"}, 2, nil},
		{"show", []string{"catalog", "show", "mq"}, []string{
			"mq: Amazon MQ, 27 actions (AWS Service Authorization Reference 0.21.202609261, data of 2026-09-26)",
			"CreateTags", "Tagging, Write", "brokers*",
			"arn:${Partition}:mq:${Region}:${Account}:broker:${BrokerName}:${BrokerId}",
			"aws:RequestTag/${TagKey}"}, -1, nil},
		{"diff", []string{"catalog", "diff", diffData + "old.json", diffData + "new.json"}, []string{
			"--- old (2026-01-01)", "+++ new (2026-06-01)",
			"fresh (New service): new service", "+ fresh:ListThings (List)",
			"gone (Retired service): service removed", "- gone:Describe (Read)",
			"+ mq:Promote (Write)", "- mq:RetiredAction (Write)", "~ mq:ListTags (Read -> List)",
			"+ resource type configurations (arn:${Partition}:mq:${Region}:${Account}:configuration:${ConfigurationId})"}, -1, nil},
		{"no subcommand", []string{"catalog"}, nil, 0, ErrUsage},
		{"unknown subcommand", []string{"catalog", "frob"}, nil, 0, ErrUsage},
		{"show without prefix", []string{"catalog", "show"}, nil, 0, ErrUsage},
		{"bad flag", []string{"catalog", "expand", "--frob", "x"}, nil, 0, ErrUsage},
		{"diff of one file", []string{"catalog", "diff", diffData + "old.json"}, nil, 0, ErrUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "", tt.args...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Run(%q) = %v, want %v", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run(%q) = %v", tt.args, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Run(%q) output lacks %q:\n%s", tt.args, w, out)
				}
			}
			if got := strings.Count(out, "\n"); tt.lines >= 0 && got != tt.lines {
				t.Errorf("Run(%q) printed %d lines, want %d:\n%s", tt.args, got, tt.lines, out)
			}
		})
	}
}

func TestCatalogShowUnknown(t *testing.T) {
	_, _, err := run(t, "", "catalog", "show", "nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("catalog show nope = %v, want an error naming the prefix", err)
	}
	_, _, err = run(t, "", "catalog", "expand", "--catalog", "/nonexistent.json", "*")
	if err == nil {
		t.Errorf("catalog expand --catalog /nonexistent.json = nil error")
	}
}
