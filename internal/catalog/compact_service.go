package catalog

// One service's blob in the compact form (see compact.go): a string table,
// the totals of list items, action resource types and access levels, then
// resource types, condition keys and actions that refer to strings and
// resource types by number.

// serviceEnc writes a service blob.
type serviceEnc struct {
	strs, body               enc
	ids                      map[string]int
	items, resources, levels int
}

// ref returns a string's number, adding it to the table on first use.
func (e *serviceEnc) ref(s string) int {
	if i, ok := e.ids[s]; ok {
		return i
	}
	e.ids[s] = len(e.ids)
	e.strs.str(s)
	return e.ids[s]
}

func (e *serviceEnc) list(xs []string) {
	e.items += len(xs)
	e.body.uint(len(xs))
	for _, x := range xs {
		e.body.uint(e.ref(x))
	}
}

// encodeService writes one service's blob, before compression.
func encodeService(d *serviceData) []byte {
	e := &serviceEnc{ids: map[string]int{}}
	e.body.uint(len(d.resourceTypes))
	typeNum := map[*ResourceType]int{}
	for i := range d.resourceTypes {
		t := &d.resourceTypes[i]
		typeNum[t] = i
		e.body.uint(e.ref(t.Name))
		e.body.uint(e.ref(t.ARNFormat))
		e.list(t.ConditionKeys)
	}
	e.body.uint(len(d.keys.keys))
	for _, k := range d.keys.keys {
		e.body.uint(e.ref(k.Name))
		e.body.uint(e.ref(k.Description))
		e.body.uint(e.ref(string(k.Type)))
	}
	e.body.uint(len(d.actions))
	for i := range d.actions {
		e.action(&d.actions[i], typeNum)
	}
	var out enc
	out.uint(len(e.ids))
	out.b = append(out.b, e.strs.b...)
	// Totals, so that the decoder allocates each kind of list once.
	out.uint(e.items)
	out.uint(e.resources)
	out.uint(e.levels)
	return append(out.b, e.body.b...)
}

func (e *serviceEnc) action(a *Action, typeNum map[*ResourceType]int) {
	e.body.uint(e.ref(a.Name))
	e.body.uint(e.ref(a.Description))
	e.body.uint(len(a.AccessLevels))
	e.levels += len(a.AccessLevels)
	for _, l := range a.AccessLevels {
		code, _ := levelCode(l)
		e.body.b = append(e.body.b, code)
	}
	e.body.uint(len(a.ResourceTypes))
	e.resources += len(a.ResourceTypes)
	for _, r := range a.ResourceTypes {
		e.body.uint(typeNum[r.Type])
		e.body.bool(r.Required)
		e.list(r.ConditionKeys)
		e.list(r.DependentActions)
	}
	e.list(a.ConditionKeys)
	e.list(a.DependentActions)
}

// serviceDec reads a service blob. The many short lists (condition keys,
// dependent actions, access levels, an action's resource types) are cut from
// one backing array per kind, so a service decodes in a few allocations.
// Appending keeps this safe when a corrupt total is too small.
type serviceDec struct {
	d         *dec
	strs      []string
	pool      []string
	resPool   []ActionResource
	levelPool []AccessLevel
	types     []ResourceType
}

func (sd *serviceDec) str() string {
	i := sd.d.uint()
	if i >= len(sd.strs) {
		sd.d.fail("string number out of range")
		return ""
	}
	return sd.strs[i]
}

func (sd *serviceDec) list() []string {
	n := sd.d.count()
	if n == 0 {
		return nil
	}
	start := len(sd.pool)
	for range n {
		sd.pool = append(sd.pool, sd.str())
	}
	return sd.pool[start:len(sd.pool):len(sd.pool)]
}

// decodeServiceRaw decodes an inflated service blob.
func decodeServiceRaw(prefix string, raw []byte) (*serviceData, error) {
	d := &dec{s: string(raw)}
	sd := &serviceDec{d: d, strs: make([]string, d.count())}
	for i := range sd.strs {
		sd.strs[i] = d.str()
	}
	sd.pool = make([]string, 0, d.count())
	sd.resPool = make([]ActionResource, 0, d.count())
	sd.levelPool = make([]AccessLevel, 0, d.count())
	sd.types = make([]ResourceType, d.count())
	for i := range sd.types {
		sd.types[i] = ResourceType{Name: sd.str(), ARNFormat: sd.str(), ConditionKeys: sd.list()}
	}
	keys := make([]ConditionKey, d.count())
	for i := range keys {
		keys[i] = ConditionKey{Name: sd.str(), Description: sd.str(), Type: KeyType(sd.str())}
	}
	actions := make([]Action, d.count())
	for i := range actions {
		sd.action(&actions[i], prefix)
		if d.err != nil {
			return nil, d.err
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return newServiceData(actions, sd.types, keys), nil
}

func (sd *serviceDec) action(a *Action, prefix string) {
	a.Service, a.Name, a.Description = prefix, sd.str(), sd.str()
	start := len(sd.levelPool)
	for range sd.d.count() {
		l, ok := levelOfCode(sd.d.byte())
		if !ok {
			sd.d.fail("unknown access level")
			return
		}
		sd.levelPool = append(sd.levelPool, l)
	}
	a.AccessLevels = sd.levelPool[start:len(sd.levelPool):len(sd.levelPool)]
	if n := sd.d.count(); n > 0 {
		start := len(sd.resPool)
		for range n {
			t := sd.d.uint()
			if t >= len(sd.types) {
				sd.d.fail("resource type number out of range")
				return
			}
			sd.resPool = append(sd.resPool, ActionResource{Type: &sd.types[t], Required: sd.d.byte() == 1,
				ConditionKeys: sd.list(), DependentActions: sd.list()})
		}
		a.ResourceTypes = sd.resPool[start:len(sd.resPool):len(sd.resPool)]
	}
	a.ConditionKeys = sd.list()
	a.DependentActions = sd.list()
}
