package sqlstore

import (
	"errors"
	"strconv"

	"github.com/iamq/iamq/internal/store"
)

// The records of one audit batch are packed into one TEXT value: for each
// record its eleven fields (id, time in nanoseconds, account, principal,
// entity, service, action, region, decision, error code, event), each
// written as its length in decimal, ':', and its bytes. Packing costs a
// copy; a JSON array would escape every record's JSON a second time.

const auditFields = 11

// packAudit packs records.
func packAudit(records []store.AuditRecord) string {
	n := 0
	for _, r := range records {
		n += len(r.ID) + len(r.Account) + len(r.Principal) + len(r.Entity) + len(r.Service) + len(r.Action) +
			len(r.Region) + len(r.Decision) + len(r.ErrorCode) + len(r.Event) + 20 + auditFields*4
	}
	b := make([]byte, 0, n)
	field := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	for _, r := range records {
		field(r.ID)
		field(strconv.FormatInt(nanos(r.Time), 10))
		field(r.Account)
		field(r.Principal)
		field(r.Entity)
		field(r.Service)
		field(r.Action)
		field(r.Region)
		field(r.Decision)
		field(r.ErrorCode)
		field(string(r.Event))
	}
	return string(b)
}

var errBadPack = errors.New("store: a packed audit batch is damaged")

// unpackAudit reads packed records, calling keep for each.
func unpackAudit(s string, keep func(store.AuditRecord)) error {
	var f [auditFields]string
	for len(s) > 0 {
		for i := range f {
			colon := 0
			for colon < len(s) && colon < 20 && s[colon] != ':' {
				colon++
			}
			if colon == len(s) || s[colon] != ':' {
				return errBadPack
			}
			n, err := strconv.Atoi(s[:colon])
			if err != nil || n < 0 || n > len(s)-colon-1 {
				return errBadPack
			}
			f[i], s = s[colon+1:colon+1+n], s[colon+1+n:]
		}
		at, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return errBadPack
		}
		keep(store.AuditRecord{ID: f[0], Time: fromNanos(at), Account: f[2], Principal: f[3], Entity: f[4], Service: f[5],
			Action: f[6], Region: f[7], Decision: f[8], ErrorCode: f[9], Event: []byte(f[10])})
	}
	return nil
}
