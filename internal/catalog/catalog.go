package catalog

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"
)

//go:generate go run gen.go

// compact is the generated compact form of data/ (see gen.go and compact.go).
//
//go:embed catalog.bin
var compact []byte

// Source says where a catalog's data came from and how recent it is.
type Source struct {
	Name    string // "AWS Service Authorization Reference"
	Via     string // how it was obtained, e.g. an npm package
	Version string // the source's version
	// UpdatedAt is when the source last scanned the reference: the catalog's
	// version.
	UpdatedAt time.Time
	// Digest is the hex SHA-256 of the file(s) the catalog was loaded from,
	// as read (the services file, then the global keys file when given).
	Digest string
}

// Catalog is a set of services with their actions, resource types and
// condition keys, plus the global condition keys. It is safe for concurrent
// use; services are decoded on first use.
type Catalog struct {
	source   Source
	services []*Service // sorted by prefix, ignoring case
	index    foldIndex
	globals  keySet
}

// Embedded returns the catalog compiled into the binary (see data/README.md
// for its source and date). Each call decodes the small service index again
// and returns an independent catalog; keep the result. It panics if the
// embedded form is corrupt, which TestEmbedded rules out.
func Embedded() *Catalog {
	c, err := decodeCompact(compact)
	if err != nil {
		panic(fmt.Sprintf("catalog: embedded catalog.bin is corrupt (run go generate): %v", err))
	}
	return c
}

// newCatalog builds a catalog over services, which it sorts.
func newCatalog(src Source, services []*Service, globals []ConditionKey) *Catalog {
	sortServices(services)
	names := make([]string, len(services))
	for i, s := range services {
		names[i] = s.Prefix
	}
	return &Catalog{source: src, services: services, index: newFoldIndex(names), globals: newKeySet(globals)}
}

// Overlay returns a catalog with the services of newer, plus those of c that
// newer lacks: how a file holding only some services (one service's
// catalog/<prefix>.json, say) updates a full catalog. The result takes
// newer's source and global keys. Services are shared, not copied.
func (c *Catalog) Overlay(newer *Catalog) *Catalog {
	services := append([]*Service(nil), newer.services...)
	for _, s := range c.services {
		if _, ok := newer.Service(s.Prefix); !ok {
			services = append(services, s)
		}
	}
	return newCatalog(newer.source, services, newer.globals.keys)
}

// Source returns where the catalog came from and its date.
func (c *Catalog) Source() Source { return c.source }

// Services returns every service, sorted by prefix.
func (c *Catalog) Services() []*Service { return c.services }

// Service returns the service with the given prefix ("mq"), ignoring case.
func (c *Catalog) Service(prefix string) (*Service, bool) {
	i := c.index.lookup(prefix)
	if i < 0 {
		return nil, false
	}
	return c.services[i], true
}

// Action returns the action a policy names ("mq:CreateBroker"), ignoring case.
// Wildcards are not expanded here: see [Catalog.Expand].
func (c *Catalog) Action(name string) (*Action, bool) {
	prefix, act, ok := strings.Cut(name, ":")
	if !ok {
		return nil, false
	}
	s, ok := c.Service(prefix)
	if !ok {
		return nil, false
	}
	return s.Action(act)
}

// GlobalConditionKeys returns the global condition keys (aws:SourceIp, …).
func (c *Catalog) GlobalConditionKeys() []ConditionKey { return c.globals.keys }

// ConditionKey returns a condition key by name, ignoring case: a global key,
// or a key of the service its prefix names. Template keys match their
// instances: "aws:RequestTag/env" finds "aws:RequestTag/${TagKey}".
func (c *Catalog) ConditionKey(name string) (*ConditionKey, bool) {
	if k, ok := c.globals.lookup(name); ok {
		return k, true
	}
	prefix, _, _ := strings.Cut(name, ":")
	if s, ok := c.Service(prefix); ok {
		return s.ConditionKey(name)
	}
	return nil, false
}

// Service is one service of the catalog (Amazon MQ, prefix "mq"). Its
// actions, resource types and condition keys are decoded on first use.
type Service struct {
	Prefix string // "mq"
	Name   string // "Amazon MQ"

	actionCount int
	once        sync.Once
	blob        []byte // compressed; nil when d was built directly
	rawLen      int    // blob's inflated length
	d           *serviceData
}

// serviceData is a service's decoded content.
type serviceData struct {
	actions       []Action
	resourceTypes []ResourceType
	keys          keySet
	actionIndex   foldIndex
	typeIndex     foldIndex
}

// data decodes the service on first use.
func (s *Service) data() *serviceData {
	s.once.Do(func() {
		if s.d != nil {
			return
		}
		d, err := decodeService(s.Prefix, s.blob, s.rawLen)
		if err != nil {
			panic(fmt.Sprintf("catalog: embedded service %q is corrupt (run go generate): %v", s.Prefix, err))
		}
		s.d = d
	})
	return s.d
}

// ActionCount returns the number of actions without decoding the service.
func (s *Service) ActionCount() int { return s.actionCount }

// Actions returns the service's actions, sorted by name ignoring case.
func (s *Service) Actions() []Action { return s.data().actions }

// Action returns the action with the given name ("CreateBroker"), ignoring
// case. It does not allocate.
func (s *Service) Action(name string) (*Action, bool) {
	d := s.data()
	i := d.actionIndex.lookup(name)
	if i < 0 {
		return nil, false
	}
	return &d.actions[i], true
}

// ResourceTypes returns the resource types the service defines.
func (s *Service) ResourceTypes() []ResourceType { return s.data().resourceTypes }

// ResourceType returns the resource type with the given name ("brokers").
func (s *Service) ResourceType(name string) (*ResourceType, bool) {
	d := s.data()
	i := d.typeIndex.lookup(name)
	if i < 0 {
		return nil, false
	}
	return &d.resourceTypes[i], true
}

// ConditionKeys returns the condition keys the service's actions and resource
// types use (service keys, and the global keys the service names).
func (s *Service) ConditionKeys() []ConditionKey { return s.data().keys.keys }

// ConditionKey returns one of the service's condition keys by name, ignoring
// case; template keys ("mq:ResourceTag/${TagKey}") match their instances.
func (s *Service) ConditionKey(name string) (*ConditionKey, bool) {
	return s.data().keys.lookup(name)
}

// newServiceData indexes a service's decoded content.
func newServiceData(actions []Action, types []ResourceType, keys []ConditionKey) *serviceData {
	names := make([]string, len(actions))
	for i := range actions {
		names[i] = actions[i].Name
	}
	typeNames := make([]string, len(types))
	for i := range types {
		typeNames[i] = types[i].Name
		types[i].format = parseARNFormat(types[i].ARNFormat)
	}
	return &serviceData{
		actions:       actions,
		resourceTypes: types,
		keys:          newKeySet(keys),
		actionIndex:   newFoldIndex(names),
		typeIndex:     newFoldIndex(typeNames),
	}
}

// keySet finds condition keys by name, ignoring case, including instances of
// template keys.
type keySet struct {
	keys      []ConditionKey
	index     foldIndex
	templates []int // positions of keys with a ${Variable}
}

func newKeySet(keys []ConditionKey) keySet {
	names := make([]string, len(keys))
	var templates []int
	for i := range keys {
		names[i] = keys[i].Name
		if strings.Contains(keys[i].Name, "${") || strings.HasSuffix(keys[i].Name, "/tag-key") {
			templates = append(templates, i)
		}
	}
	return keySet{keys: keys, index: newFoldIndex(names), templates: templates}
}

func (ks *keySet) lookup(name string) (*ConditionKey, bool) {
	if i := ks.index.lookup(name); i >= 0 {
		return &ks.keys[i], true
	}
	for _, i := range ks.templates {
		if keyTemplateMatch(ks.keys[i].Name, name) {
			return &ks.keys[i], true
		}
	}
	return nil, false
}

// keyTemplateMatch reports whether key is an instance of template, where a
// ${Variable} (or the global list's "tag-key" after a slash) stands for any
// non-empty text. Letters compare ignoring case, as condition keys do.
func keyTemplateMatch(template, key string) bool {
	if t, ok := strings.CutSuffix(template, "/tag-key"); ok {
		template = t + "/${TagKey}"
	}
	return matchTemplate(template, key)
}

// matchTemplate tries every non-empty length for the first variable; keys
// have at most two variables, so the search stays small.
func matchTemplate(template, key string) bool {
	i := strings.Index(template, "${")
	j := strings.IndexByte(template[max(i, 0):], '}')
	if i < 0 || j < 0 {
		return equalFoldASCII(template, key)
	}
	if len(key) <= i || !equalFoldASCII(template[:i], key[:i]) {
		return false
	}
	rest, key := template[i+j+1:], key[i:]
	for n := 1; n <= len(key); n++ {
		if matchTemplate(rest, key[n:]) {
			return true
		}
	}
	return false
}
