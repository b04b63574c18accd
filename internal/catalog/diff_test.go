package catalog

import (
	"fmt"
	"strings"
	"testing"
)

// summarize prints a diff compactly for comparison.
func summarize(changes []ServiceChange) string {
	var b strings.Builder
	for _, ch := range changes {
		fmt.Fprintf(&b, "%s added=%v removed=%v", ch.Prefix, ch.Added, ch.Removed)
		for _, a := range ch.AddedActions {
			fmt.Fprintf(&b, " +%s(%s)", a, a.AccessLevel())
		}
		for _, a := range ch.RemovedActions {
			fmt.Fprintf(&b, " -%s(%s)", a, a.AccessLevel())
		}
		for _, lc := range ch.LevelChanges {
			fmt.Fprintf(&b, " ~%s(%s->%s)", lc.New, lc.Old.AccessLevel(), lc.New.AccessLevel())
		}
		for _, t := range ch.AddedTypes {
			fmt.Fprintf(&b, " +type:%s", t.Name)
		}
		for _, t := range ch.RemovedTypes {
			fmt.Fprintf(&b, " -type:%s", t.Name)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	old := loadFile(t, "testdata/diff/old.json")
	new := loadFile(t, "testdata/diff/new.json")
	tests := []struct {
		name     string
		old, new *Catalog
		want     string
	}{
		{"old to new", old, new, "" +
			"fresh added=true removed=false +fresh:ListThings(List) +fresh:TagThing(Tagging, Write)\n" +
			"gone added=false removed=true -gone:Describe(Read)\n" +
			"mq added=false removed=false +mq:DescribeUser(Read) +mq:Promote(Write) -mq:RetiredAction(Write) ~mq:ListTags(Read->List) +type:configurations\n"},
		{"new to old", new, old, "" +
			"fresh added=false removed=true -fresh:ListThings(List) -fresh:TagThing(Tagging, Write)\n" +
			"gone added=true removed=false +gone:Describe(Read)\n" +
			"mq added=false removed=false +mq:RetiredAction(Write) -mq:DescribeUser(Read) -mq:Promote(Write) ~mq:ListTags(List->Read) -type:configurations\n"},
		{"same", old, old, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summarize(Diff(tt.old, tt.new)); got != tt.want {
				t.Errorf("Diff() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if got := new.Source().Version; got != "new" {
		t.Errorf("Source().Version = %q, want new", got)
	}
}
