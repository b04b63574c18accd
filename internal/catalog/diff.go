package catalog

import "slices"

// ServiceChange is how one service differs between two catalogs: the actions
// and resource types added and removed, and the actions whose access levels
// changed. It is how "a service launched new operations" is detected, for
// example to grow job-function policies with the new read-only actions.
type ServiceChange struct {
	Prefix, Name string
	// Added and Removed are set when the whole service is new or gone; its
	// actions are then all in AddedActions or RemovedActions.
	Added, Removed bool
	// AddedActions are actions of the new catalog, RemovedActions of the old.
	AddedActions, RemovedActions []*Action
	LevelChanges                 []LevelChange
	AddedTypes, RemovedTypes     []*ResourceType
}

// LevelChange is an action whose access levels differ between catalogs.
type LevelChange struct {
	Old, New *Action
}

// Diff compares two catalogs, service by service (sorted by prefix), and
// returns the services that differ. Names compare ignoring case, as IAM
// matches them; descriptions, condition keys and ARN formats are not
// compared.
func Diff(old, new *Catalog) []ServiceChange {
	var out []ServiceChange
	for _, s := range new.services {
		o, ok := old.Service(s.Prefix)
		if !ok {
			ch := ServiceChange{Prefix: s.Prefix, Name: s.Name, Added: true, AddedActions: pointers(s.Actions())}
			ch.AddedTypes = typePointers(s.ResourceTypes())
			out = append(out, ch)
			continue
		}
		if ch, changed := diffService(o, s); changed {
			out = append(out, ch)
		}
	}
	for _, o := range old.services {
		if _, ok := new.Service(o.Prefix); !ok {
			ch := ServiceChange{Prefix: o.Prefix, Name: o.Name, Removed: true, RemovedActions: pointers(o.Actions())}
			ch.RemovedTypes = typePointers(o.ResourceTypes())
			out = append(out, ch)
		}
	}
	slices.SortFunc(out, func(a, b ServiceChange) int { return compareFoldASCII(a.Prefix, b.Prefix) })
	return out
}

// diffService compares one service present in both catalogs.
func diffService(o, s *Service) (ServiceChange, bool) {
	ch := ServiceChange{Prefix: s.Prefix, Name: s.Name}
	for i := range s.Actions() {
		a := &s.Actions()[i]
		old, ok := o.Action(a.Name)
		switch {
		case !ok:
			ch.AddedActions = append(ch.AddedActions, a)
		case !slices.Equal(old.AccessLevels, a.AccessLevels):
			ch.LevelChanges = append(ch.LevelChanges, LevelChange{Old: old, New: a})
		}
	}
	for i := range o.Actions() {
		if _, ok := s.Action(o.Actions()[i].Name); !ok {
			ch.RemovedActions = append(ch.RemovedActions, &o.Actions()[i])
		}
	}
	for i := range s.ResourceTypes() {
		if _, ok := o.ResourceType(s.ResourceTypes()[i].Name); !ok {
			ch.AddedTypes = append(ch.AddedTypes, &s.ResourceTypes()[i])
		}
	}
	for i := range o.ResourceTypes() {
		if _, ok := s.ResourceType(o.ResourceTypes()[i].Name); !ok {
			ch.RemovedTypes = append(ch.RemovedTypes, &o.ResourceTypes()[i])
		}
	}
	changed := len(ch.AddedActions)+len(ch.RemovedActions)+len(ch.LevelChanges)+len(ch.AddedTypes)+len(ch.RemovedTypes) > 0
	return ch, changed
}

func pointers(actions []Action) []*Action {
	out := make([]*Action, len(actions))
	for i := range actions {
		out[i] = &actions[i]
	}
	return out
}

func typePointers(types []ResourceType) []*ResourceType {
	out := make([]*ResourceType, len(types))
	for i := range types {
		out[i] = &types[i]
	}
	return out
}
