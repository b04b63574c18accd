package arn

import (
	"errors"
	"strings"
)

// ARN is an Amazon Resource Name split into its segments. Resource keeps any
// further colons. The segments may hold wildcards when the ARN is a pattern.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// The partitions of AWS (AWS General Reference: "Amazon Resource Names
// (ARNs)", section "ARN format"). iamq serves PartitionAWS; the others are
// parsed and matched like any other value.
const (
	PartitionAWS      = "aws"        // AWS Regions
	PartitionChina    = "aws-cn"     // China Regions
	PartitionGovCloud = "aws-us-gov" // AWS GovCloud (US) Regions
)

// Prefix begins every ARN. Only a test of the mere look of a string
// (is it an ARN at all, or an inline policy's name?) should use it: Split
// checks the shape.
const Prefix = "arn:"

// ErrInvalid is wrapped by every error Parse and ParsePattern return.
var ErrInvalid = errors.New("invalid ARN")

// Code says what is wrong with an ARN.
type Code uint8

// The reasons an ARN does not parse.
const (
	// CodePrefix: the text does not begin with "arn:".
	CodePrefix Code = iota + 1
	// CodeSegments: the text has fewer than six colon-separated segments.
	CodeSegments
)

// Error is the error Parse and ParsePattern return: the text and what is
// wrong with it. It matches ErrInvalid with errors.Is.
type Error struct {
	Input string
	Code  Code
}

func (e *Error) Error() string {
	switch e.Code {
	case CodePrefix:
		return "arn: " + quote(e.Input) + " does not begin with \"arn:\""
	default:
		return "arn: " + quote(e.Input) + " does not have the six segments of an ARN (arn:partition:service:region:account-id:resource)"
	}
}

// Is reports whether target is ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func quote(s string) string { return "\"" + strings.ReplaceAll(s, "\"", "\\\"") + "\"" }

// Parse reads s, which must begin with "arn:" and have six colon-separated
// segments, the last keeping any further colons. It checks the shape only:
// a segment may be empty (IAM ARNs have no region) or hold wildcards, so
// Parse reads both ARNs and the ARN patterns of ArnLike conditions. The
// error is an *Error.
func Parse(s string) (ARN, error) {
	a, ok := Split(s)
	if !ok {
		code := CodeSegments
		if !strings.HasPrefix(s, Prefix) {
			code = CodePrefix
		}
		return ARN{}, &Error{Input: s, Code: code}
	}
	return a, nil
}

// Split is Parse without the error, for hot paths: it never allocates, and
// ok is false exactly when Parse fails.
func Split(s string) (a ARN, ok bool) {
	// Unrolled: this runs for every ArnLike condition eval evaluates.
	s, ok = strings.CutPrefix(s, Prefix)
	if !ok {
		return ARN{}, false
	}
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return ARN{}, false
	}
	a.Partition, s = s[:i], s[i+1:]
	if i = strings.IndexByte(s, ':'); i < 0 {
		return ARN{}, false
	}
	a.Service, s = s[:i], s[i+1:]
	if i = strings.IndexByte(s, ':'); i < 0 {
		return ARN{}, false
	}
	a.Region, s = s[:i], s[i+1:]
	if i = strings.IndexByte(s, ':'); i < 0 {
		return ARN{}, false
	}
	a.Account, a.Resource = s[:i], s[i+1:]
	return a, true
}

// String returns the ARN's text: "arn:" and the segments joined by colons.
func (a ARN) String() string {
	return Prefix + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// IsAccountID reports whether s is an AWS account id: 12 decimal digits
// (AWS Account Management Reference Guide: "View AWS account identifiers").
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
