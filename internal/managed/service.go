package managed

import (
	"strings"

	"github.com/iamq/iamq/internal/catalog"
)

// ServiceIndex tells which service an AWS managed policy belongs to by its
// name: AWS names them after the service ("AmazonMQFullAccess" is Amazon
// MQ's, "AWSLambda_ReadOnlyAccess" AWS Lambda's). The longest service name
// (without spaces or punctuation) that begins the policy name wins; a
// policy no service name begins (ReadOnlyAccess, ViewOnlyAccess) belongs to
// no one service.
type ServiceIndex struct {
	names    []string // folded service names
	prefixes []string // their service prefixes
}

// NewServiceIndex indexes the services of cat.
func NewServiceIndex(cat *catalog.Catalog) *ServiceIndex {
	x := &ServiceIndex{}
	for _, s := range cat.Services() {
		if n := foldName(s.Name); len(n) > len("amazon") {
			x.names = append(x.names, n)
			x.prefixes = append(x.prefixes, s.Prefix)
		}
	}
	return x
}

// Of returns the service prefix of the policy named name, or "".
func (x *ServiceIndex) Of(name string) string {
	f := foldName(name)
	best, prefix := 0, ""
	for i, n := range x.names {
		if len(n) > best && strings.HasPrefix(f, n) {
			best, prefix = len(n), x.prefixes[i]
		}
	}
	return prefix
}

// foldName lowercases s and keeps only its letters and digits.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
