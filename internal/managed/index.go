package managed

import "time"

// indexPolicy and indexVersion are the embedded index's format: gen_test.go
// writes it with these types and Library reads it back with them.
type indexPolicy struct {
	Name        string         `json:"n"`
	Path        string         `json:"p"`
	ID          string         `json:"i"`
	IDGenerated bool           `json:"ig,omitempty"`
	Description string         `json:"d,omitempty"`
	Create      time.Time      `json:"c"`
	Update      time.Time      `json:"u"`
	Default     string         `json:"dv"`
	Attachable  bool           `json:"a"`
	Count       int            `json:"vc"`
	Versions    []indexVersion `json:"v"`
}

type indexVersion struct {
	ID          string    `json:"i"`
	Create      time.Time `json:"c"`
	DateUnknown bool      `json:"du,omitempty"`
	Offset      int       `json:"o"`
	Length      int       `json:"l"`
}

func (e indexPolicy) policy() *Policy {
	p := &Policy{
		Name: e.Name, Path: e.Path, ID: e.ID, IDGenerated: e.IDGenerated, Description: e.Description,
		CreateDate: e.Create, UpdateDate: e.Update, DefaultVersion: e.Default, Attachable: e.Attachable,
		VersionCount: e.Count, Versions: make([]Version, len(e.Versions)),
	}
	for i, v := range e.Versions {
		p.Versions[i] = Version{ID: v.ID, CreateDate: v.Create, DateUnknown: v.DateUnknown, offset: v.Offset, length: v.Length}
	}
	return p
}
