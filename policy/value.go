package policy

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
)

// ValueType is the JSON type a condition value was written as. IAM compares
// by the operator, not by the JSON type: "NumericLessThan": {"k": "10"} and
// {"k": 10} are the same condition.
type ValueType uint8

// The JSON types of condition values.
const (
	ValueString ValueType = iota
	ValueNumber
	ValueBool
)

// Value is one condition value: its text (JSON strings unquoted; numbers and
// booleans exactly as written) and the JSON type it had.
type Value struct {
	Text string
	Type ValueType
}

// ErrValue is wrapped by every error of the value parsers below.
var ErrValue = errors.New("invalid condition value")

func valueError(kind, s string) error { return fmt.Errorf("%w: %q is not %s", ErrValue, s, kind) }

// ParseNumber parses the value of a Numeric condition: an integer or a
// decimal, optionally signed.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimPrefix(s, "-")
	t = strings.TrimPrefix(t, "+")
	digits := 0
	dot := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return 0, valueError("a number", s)
		}
	}
	if digits == 0 {
		return 0, valueError("a number", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, valueError("a number", s)
	}
	return f, nil
}

// dateLayouts are the ISO 8601 forms that Date conditions accept, most common
// first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
}

// ParseDate parses the value of a Date condition: an ISO 8601 date or date and
// time (UTC when no offset is given), or a number of seconds since the Unix
// epoch, as aws:EpochTime carries.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, valueError("a date", s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, valueError("a date", s)
}

// ParseBool parses the value of a Bool condition: "true" or "false", in any
// case.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, valueError("a boolean", s)
}

// ParseCIDR parses the value of an IpAddress condition: an IPv4 or IPv6 CIDR
// block, or a bare address (a block of one).
func ParseCIDR(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, valueError("a CIDR block", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, valueError("an IP address", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ParseBinary parses the value of a BinaryEquals condition: base64.
func ParseBinary(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, valueError("base64", s)
	}
	return b, nil
}

// ParseARN parses the value of an Arn condition: an ARN or an ARN pattern,
// "arn:" and six colon-separated segments whose segments may hold wildcards
// (see arn.Parse).
func ParseARN(s string) (arn.ARN, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return arn.ARN{}, valueError("an ARN", s)
	}
	return a, nil
}
