package arn

import "strings"

// Loose is a policy's Resource as IAM's policy grammar reads it, which is not
// how Parse reads an ARN: whatever comes before the first colon is ignored
// (IAM names the resource "arn:…" whatever it was), and the parts after it
// are taken as they come, so that the text may stop after any part
// ("arn:aws:fdsasf" is a resource IAM accepts). The rules follow IAM's
// recorded answers in policy/testdata/aws.
type Loose struct {
	Partition, Service, Region, Account, Resource string
	// N is how many of the five parts the text has: 0 without a colon, 5
	// with all of them (Resource then holds the rest, colons included).
	N int
}

// ReadLoose splits s at its first five colons.
func ReadLoose(s string) Loose {
	var l Loose
	parts := [...]*string{&l.Partition, &l.Service, &l.Region, &l.Account, &l.Resource}
	i := strings.IndexByte(s, ':')
	for i >= 0 && l.N < len(parts) {
		s = s[i+1:]
		if l.N == len(parts)-1 {
			*parts[l.N] = s
		} else if j := strings.IndexByte(s, ':'); j >= 0 {
			*parts[l.N], i = s[:j], j
		} else {
			*parts[l.N], i = s, -1
		}
		l.N++
	}
	return l
}

// Filled returns l as the six-part ARN IAM names in its messages about it:
// Prefix, then each part, "*" for each part missing, and for a service that
// is empty and last.
func (l Loose) Filled() string {
	parts := [...]string{l.Partition, l.Service, l.Region, l.Account, l.Resource}
	var b strings.Builder
	b.WriteString(Prefix[:len(Prefix)-1])
	for i, p := range parts {
		if i >= l.N || i == 1 && p == "" && l.N == 2 {
			p = "*"
		}
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}
