package policy

import (
	"strconv"
	"strings"
)

// MsgLegacy is IAM's message when its older parser refuses a document that
// the newer one read: an Effect in the wrong case, a date it cannot read, a
// resource with an empty segment. Verified: LocalStack's recordings of 2026
// and moto's of 2019 (testdata/aws/answers.json), 99designs/iamy#65.
const MsgLegacy = "The policy failed legacy parsing"

// The bounds of the years IAM's date parser reads (those of a Java
// millisecond clock), and of an epoch value.
const (
	minLegacyYear = -292275054
	maxLegacyYear = 292278993
)

// legacyDate reports whether IAM's legacy parser reads s as the value of a
// Date condition: whole seconds since the epoch (0 to 2⁶³−1), or an ISO 8601
// date and time, letters in any case, each part optional from the right:
// [-]YYYY[-MM[-DD]][Thh[:mm[:ss[.fraction][Z|+hh[:mm]]]]]. The grammar follows
// the values AWS accepted and refused in testdata/aws/answers.json ("01T" and
// "-292275054" are dates; "234-13" and "2016-12-13t2:00:00.593194+1" are not).
func legacyDate(s string) bool {
	s = strings.ToLower(s)
	if !strings.ContainsAny(s, "t-") {
		n, err := strconv.ParseUint(s, 10, 64)
		return err == nil && n <= 1<<63-1
	}
	date, clock, _ := strings.Cut(s, "t")
	return legacyDay(date) && legacyClock(clock)
}

func legacyDay(date string) bool {
	neg := strings.HasPrefix(date, "-")
	parts := strings.Split(strings.TrimPrefix(date, "-"), "-")
	if len(parts) > 3 {
		return false
	}
	year, ok := legacyInt(parts[0])
	if neg {
		year = -year
	}
	if !ok || year < minLegacyYear || year > maxLegacyYear {
		return false
	}
	bounds := [][2]int{{1, 12}, {1, 31}}
	for i, p := range parts[1:] {
		if n, ok := legacyInt(p); !ok || n < bounds[i][0] || n > bounds[i][1] {
			return false
		}
	}
	return true
}

func legacyClock(clock string) bool {
	if clock == "" {
		return true
	}
	parts := strings.SplitN(clock, ":", 3)
	if n, ok := legacyInt(parts[0]); !ok || n > 23 {
		return false
	}
	if len(parts) > 1 {
		if n, ok := legacyInt(parts[1]); !ok || n > 59 {
			return false
		}
	}
	return len(parts) < 3 || legacySeconds(parts[2])
}

// legacySeconds reads ss[.fraction][z|+hh[:mm]].
func legacySeconds(s string) bool {
	var zone string
	if i := strings.IndexAny(s, "z+"); i >= 0 {
		s, zone = s[:i], s[i:]
	}
	switch {
	case zone == "z", zone == "":
	case !legacyZone(zone[1:]):
		return false
	}
	sec, frac, hasFrac := strings.Cut(s, ".")
	if n, ok := legacyInt(sec); !ok || n > 59 {
		return false
	}
	if hasFrac {
		if n, ok := legacyInt(frac); !ok || n > 999999999 {
			return false
		}
	}
	return true
}

// legacyZone reads hh[:mm], two digits each.
func legacyZone(z string) bool {
	hh, mm, hasMM := strings.Cut(z, ":")
	if n, ok := legacyInt(hh); len(hh) != 2 || !ok || n > 23 {
		return false
	}
	if hasMM {
		if n, ok := legacyInt(mm); len(mm) != 2 || !ok || n > 59 {
			return false
		}
	}
	return true
}

// legacyInt reads a non-empty run of decimal digits.
func legacyInt(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
