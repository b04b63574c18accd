package catalog

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestResourceTypeOf(t *testing.T) {
	c := Embedded()
	tests := []struct {
		name string
		arn  string
		want []string // resource types, most specific first
	}{
		{"broker", "arn:aws:mq:us-east-1:111122223333:broker:MyBroker:b-1234a5b6-78cd-901e-2fgh-3i45j6k178l9", []string{"brokers"}},
		{"configuration", "arn:aws:mq:us-east-1:111122223333:configuration:c-1234a5b6-78cd-901e-2fgh-3i45j6k178l9", []string{"configurations"}},
		{"broker pattern", "arn:aws:mq:*:*:broker:*", []string{"brokers"}},
		{"any mq resource", "arn:aws:mq:*:*:*", []string{"configurations", "brokers"}},
		{"policy variable", "arn:aws:mq:us-east-1:111122223333:broker:${aws:username}:*", []string{"brokers"}},
		{"broker without id", "arn:aws:mq:us-east-1:111122223333:broker:MyBroker", nil},
		{"unknown type", "arn:aws:mq:us-east-1:111122223333:user:alice", nil},
		{"case matters", "arn:aws:mq:us-east-1:111122223333:Broker:b:b-1", nil},
		{"sqs queue", "arn:aws:sqs:us-east-1:111122223333:queue1", []string{"queue"}},
		{"wildcard stays in its field", "arn:aws:sqs:*", nil},
		{"s3 object beats bucket", "arn:aws:s3:::bucket/key/x.txt", []string{"object", "bucket"}},
		{"s3 bucket", "arn:aws:s3:::bucket", []string{"bucket"}},
		{"iam user with path", "arn:aws:iam::111122223333:user/division/alice", []string{"user"}},
		{"lambda alias", "arn:aws:lambda:us-east-1:111122223333:function:f:live", []string{"function alias", "function version", "function"}},
		{"lambda function", "arn:aws:lambda:us-east-1:111122223333:function:f", []string{"function"}},
		{"not an arn", "broker:b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := "mq"
			if parts := strings.Split(tt.arn, ":"); len(parts) > 2 && parts[0] == "arn" {
				prefix = parts[2]
			}
			svc, ok := c.Service(prefix)
			if !ok {
				svc, _ = c.Service("mq")
			}
			var got []string
			for _, rt := range svc.ResourceTypesOf(tt.arn) {
				got = append(got, rt.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("ResourceTypesOf(%q) = %q, want %q", tt.arn, got, tt.want)
			}
			_, rt, ok := c.ResourceTypeOf(tt.arn)
			if ok != (len(tt.want) > 0) || ok && rt.Name != tt.want[0] {
				t.Errorf("Catalog.ResourceTypeOf(%q) = %v, %v; want %q", tt.arn, rt, ok, tt.want)
			}
		})
	}
}

// formatRegexp is the reference semantics of a format for a plain ARN.
func formatRegexp(format string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)^")
	vars := regexp.MustCompile(`\$\{[^}]*\}`)
	locs := vars.FindAllStringIndex(format, -1)
	last := 0
	for i, loc := range locs {
		lit := format[last:loc[0]]
		b.WriteString(strings.ReplaceAll(regexp.QuoteMeta(lit), `\*`, `.*`))
		if i == len(locs)-1 && loc[1] == len(format) {
			b.WriteString(`.+`)
		} else {
			b.WriteString(`[^:]+`)
		}
		last = loc[1]
	}
	b.WriteString(strings.ReplaceAll(regexp.QuoteMeta(format[last:]), `\*`, `.*`))
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// FuzzARNMatch checks the automaton against a regular expression for plain
// ARNs, and that matching never panics for patterns.
func FuzzARNMatch(f *testing.F) {
	f.Add("arn:${Partition}:mq:${Region}:${Account}:broker:${BrokerName}:${BrokerId}", "arn:aws:mq:us-east-1:1:broker:b:b-1")
	f.Add("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/k:x")
	f.Add("arn:${Partition}:amplifybackend:${Region}:${Account}:/backend/*", "arn:aws:amplifybackend:r:1:/backend/x/y")
	f.Add("arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "arn:aws:iam::*:user/*")
	f.Fuzz(func(t *testing.T, format, arn string) {
		rt := ResourceType{ARNFormat: format, format: parseARNFormat(format)}
		got := rt.Matches(arn)
		if len(format) > maxARN || len(arn) > maxARN || strings.ContainsAny(arn, "*?$") || !utf8.ValidString(format) || !utf8.ValidString(arn) {
			return
		}
		re := formatRegexp(format)
		if want := re.MatchString(arn); got != want {
			t.Errorf("Matches(%q, %q) = %v, regexp %s says %v", format, arn, got, re, want)
		}
	})
}
