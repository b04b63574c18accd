package catalog

import (
	"os"
	"testing"

	"github.com/iamq/iamq/policy"
)

// BenchmarkEmbedded measures decoding the service index: what start-up pays.
func BenchmarkEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Embedded()
	}
}

// BenchmarkFirstLookup measures the first action lookup in a service of a
// fresh catalog, which decodes that service (ec2: 826 actions).
func BenchmarkFirstLookup(b *testing.B) {
	for _, tt := range []struct{ name, action string }{
		{"ec2", "ec2:DescribeInstances"},
		{"mq", "mq:CreateBroker"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				c := Embedded()
				b.StartTimer()
				if _, ok := c.Action(tt.action); !ok {
					b.Fatal("not found")
				}
			}
		})
	}
}

// BenchmarkActionLookup measures a lookup in a decoded service.
func BenchmarkActionLookup(b *testing.B) {
	c := Embedded()
	ec2, _ := c.Service("ec2")
	for _, tt := range []struct{ name, action string }{
		{"exact", "ec2:DescribeInstances"},
		{"folded", "EC2:describeinstances"},
		{"missing", "ec2:DescribeNothing"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			c.Action(tt.action)
			b.ReportAllocs()
			for b.Loop() {
				c.Action(tt.action)
			}
		})
	}
	b.Run("in-service", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ec2.Action("DescribeInstances")
		}
	})
}

// BenchmarkExpand measures wildcard expansion over decoded services.
func BenchmarkExpand(b *testing.B) {
	c := Embedded()
	for _, tt := range []struct{ name, pattern string }{
		{"ec2:Describe*", "ec2:Describe*"},
		{"MQ:*broker*", "MQ:*broker*"},
		{"*", "*"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			c.Expand(tt.pattern)
			b.ReportAllocs()
			for b.Loop() {
				c.Expand(tt.pattern)
			}
		})
	}
}

// BenchmarkLint lints AmazonMQFullAccess (42 actions, three statements).
func BenchmarkLint(b *testing.B) {
	text, err := os.ReadFile("testdata/lint/aws-amazonmq-full-access.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := policy.Parse(string(text))
	if err != nil {
		b.Fatal(err)
	}
	c := Embedded()
	c.Lint(doc)
	b.ReportAllocs()
	for b.Loop() {
		c.Lint(doc)
	}
}
