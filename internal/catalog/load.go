package catalog

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"
)

// ErrFormat reports a catalog file that does not follow the schema.
var ErrFormat = errors.New("catalog: invalid catalog file")

// LoadOptions tune [Load]. The zero value is the default.
type LoadOptions struct {
	// GlobalKeys, when set, is read for the global condition keys (the
	// schema of data/global-condition-keys.json). Otherwise the loaded
	// catalog uses the embedded catalog's global keys: service files do not
	// carry them.
	GlobalKeys io.Reader
}

// The JSON schema of shared/data/catalog (see data/README.md).
type (
	fileSource struct {
		Name          string `json:"name"`
		Via           string `json:"via"`
		Version       string `json:"version"`
		DataUpdatedAt string `json:"dataUpdatedAt"`
	}
	fileCatalog struct {
		SchemaVersion int                     `json:"schemaVersion"`
		Source        fileSource              `json:"source"`
		Services      map[string]*fileService `json:"services"`
		// A single-service file has the service's fields at the top level.
		fileService
	}
	fileService struct {
		ServicePrefix string         `json:"servicePrefix"`
		ServiceName   string         `json:"serviceName"`
		Actions       []fileAction   `json:"actions"`
		ResourceTypes []fileType     `json:"resourceTypes"`
		ConditionKeys []ConditionKey `json:"conditionKeys"`
	}
	fileAction struct {
		Name             string          `json:"name"`
		Description      string          `json:"description"`
		AccessLevel      string          `json:"accessLevel"`
		AccessLevels     []AccessLevel   `json:"accessLevels"`
		ResourceTypes    []fileActionRes `json:"resourceTypes"`
		ConditionKeys    []string        `json:"conditionKeys"`
		DependentActions []string        `json:"dependentActions"`
	}
	fileActionRes struct {
		Name             string   `json:"name"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	}
	fileType struct {
		Name          string   `json:"name"`
		ARNFormat     string   `json:"arnFormat"`
		ConditionKeys []string `json:"conditionKeys"`
	}
	fileGlobals struct {
		ConditionKeys []ConditionKey `json:"conditionKeys"`
	}
)

// Load reads a catalog file in the schema of shared/data/catalog: either the
// all-services form ({"services": {"mq": {…}, …}}) or one service's file
// ({"servicePrefix": "mq", …}), plain or gzip-compressed. Users update the
// catalog this way without a new binary. Errors wrap [ErrFormat].
func Load(r io.Reader, opts LoadOptions) (*Catalog, error) {
	var f fileCatalog
	h := sha256.New()
	if err := decodeJSON(io.TeeReader(r, h), &f); err != nil {
		return nil, err
	}
	if f.SchemaVersion != 1 {
		return nil, fmt.Errorf("%w: schemaVersion %d, want 1", ErrFormat, f.SchemaVersion)
	}
	src := Source{Name: f.Source.Name, Via: f.Source.Via, Version: f.Source.Version}
	if f.Source.DataUpdatedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, f.Source.DataUpdatedAt)
		if err != nil {
			return nil, fmt.Errorf("%w: source.dataUpdatedAt: %v", ErrFormat, err)
		}
		src.UpdatedAt = t
	}
	files := f.Services
	if files == nil && f.ServicePrefix != "" {
		files = map[string]*fileService{f.ServicePrefix: &f.fileService}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no services", ErrFormat)
	}
	seen := map[string]bool{}
	services := make([]*Service, 0, len(files))
	for key, fs := range files {
		s, err := buildService(key, fs)
		if err != nil {
			return nil, err
		}
		folded := strings.ToLower(s.Prefix)
		if seen[folded] {
			return nil, fmt.Errorf("%w: service %q appears twice", ErrFormat, s.Prefix)
		}
		seen[folded] = true
		services = append(services, s)
	}
	globals, err := loadGlobals(opts.GlobalKeys, h)
	if err != nil {
		return nil, err
	}
	src.Digest = hex.EncodeToString(h.Sum(nil))
	return newCatalog(src, services, globals), nil
}

// decodeJSON decodes r, gunzipping it first when it starts like gzip, and
// reads r to its end (so that a digest of it is complete).
func decodeJSON(r io.Reader, v any) error {
	defer io.Copy(io.Discard, r)
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrFormat, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return nil
}

// loadGlobals reads global keys from r, adding it to h, or takes the
// embedded ones.
func loadGlobals(r io.Reader, h hash.Hash) ([]ConditionKey, error) {
	if r == nil {
		return Embedded().GlobalConditionKeys(), nil
	}
	var g fileGlobals
	if err := decodeJSON(io.TeeReader(r, h), &g); err != nil {
		return nil, err
	}
	for _, k := range g.ConditionKeys {
		if k.Name == "" {
			return nil, fmt.Errorf("%w: a global condition key without a name", ErrFormat)
		}
	}
	return g.ConditionKeys, nil
}

// buildService checks one service of a file and builds it, decoded.
func buildService(key string, fs *fileService) (*Service, error) {
	if fs == nil || fs.ServicePrefix == "" {
		return nil, fmt.Errorf("%w: service %q has no servicePrefix", ErrFormat, key)
	}
	if key != fs.ServicePrefix {
		return nil, fmt.Errorf("%w: service %q is filed under %q", ErrFormat, fs.ServicePrefix, key)
	}
	types := make([]ResourceType, len(fs.ResourceTypes))
	typeIndex := map[string]int{}
	for i, t := range fs.ResourceTypes {
		if t.Name == "" {
			return nil, fmt.Errorf("%w: %s: a resource type without a name", ErrFormat, key)
		}
		types[i] = ResourceType{Name: t.Name, ARNFormat: t.ARNFormat, ConditionKeys: t.ConditionKeys}
		typeIndex[t.Name] = i
	}
	actions := make([]Action, len(fs.Actions))
	for i, fa := range fs.Actions {
		a, err := buildAction(key, fa, types, typeIndex)
		if err != nil {
			return nil, err
		}
		actions[i] = a
	}
	slices.SortStableFunc(actions, func(a, b Action) int { return compareFoldASCII(a.Name, b.Name) })
	for i := 1; i < len(actions); i++ {
		if equalFoldASCII(actions[i-1].Name, actions[i].Name) {
			return nil, fmt.Errorf("%w: %s:%s appears twice", ErrFormat, key, actions[i].Name)
		}
	}
	for _, k := range fs.ConditionKeys {
		if k.Name == "" {
			return nil, fmt.Errorf("%w: %s: a condition key without a name", ErrFormat, key)
		}
	}
	d := newServiceData(actions, types, fs.ConditionKeys)
	return &Service{Prefix: fs.ServicePrefix, Name: fs.ServiceName, actionCount: len(actions), d: d}, nil
}

func buildAction(prefix string, fa fileAction, types []ResourceType, typeIndex map[string]int) (Action, error) {
	if fa.Name == "" || strings.ContainsAny(fa.Name, ":*? ") {
		return Action{}, fmt.Errorf("%w: %s: bad action name %q", ErrFormat, prefix, fa.Name)
	}
	a := Action{Service: prefix, Name: fa.Name, Description: fa.Description,
		ConditionKeys: fa.ConditionKeys, DependentActions: fa.DependentActions}
	levels := fa.AccessLevels
	if len(levels) == 0 && fa.AccessLevel != "" {
		for _, l := range strings.Split(fa.AccessLevel, ",") {
			levels = append(levels, AccessLevel(strings.TrimSpace(l)))
		}
	}
	if len(levels) == 0 {
		return Action{}, fmt.Errorf("%w: %s:%s has no access level", ErrFormat, prefix, fa.Name)
	}
	for _, l := range levels {
		if _, ok := levelCode(l); !ok {
			return Action{}, fmt.Errorf("%w: %s:%s: unknown access level %q", ErrFormat, prefix, fa.Name, l)
		}
	}
	a.AccessLevels = levels
	for _, r := range fa.ResourceTypes {
		i, ok := typeIndex[r.Name]
		if !ok {
			return Action{}, fmt.Errorf("%w: %s:%s names resource type %q, which the service does not define",
				ErrFormat, prefix, fa.Name, r.Name)
		}
		a.ResourceTypes = append(a.ResourceTypes, ActionResource{Type: &types[i], Required: r.Required,
			ConditionKeys: r.ConditionKeys, DependentActions: r.DependentActions})
	}
	return a, nil
}

// sortServices orders services by prefix, ignoring case.
func sortServices(services []*Service) {
	slices.SortFunc(services, func(a, b *Service) int {
		return cmp.Or(compareFoldASCII(a.Prefix, b.Prefix), strings.Compare(a.Prefix, b.Prefix))
	})
}
