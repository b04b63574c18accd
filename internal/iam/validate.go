package iam

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// Field is a request parameter as IAM's validation messages name it: the
// member name with a lower-case first letter ("userName", "path",
// "tags.1.member.key").
type Field string

// The fields that more than one operation validates.
const (
	FieldUserName            Field = "userName"
	FieldNewUserName         Field = "newUserName"
	FieldGroupName           Field = "groupName"
	FieldNewGroupName        Field = "newGroupName"
	FieldRoleName            Field = "roleName"
	FieldInstanceProfileName Field = "instanceProfileName"
	FieldPolicyName          Field = "policyName"
	FieldPath                Field = "path"
	FieldNewPath             Field = "newPath"
	FieldPathPrefix          Field = "pathPrefix"
	FieldMarker              Field = "marker"
	FieldMaxItems            Field = "maxItems"
	FieldDescription         Field = "description"
	FieldTags                Field = "tags"
	FieldTagKeys             Field = "tagKeys"
	FieldPolicyARN           Field = "policyArn"
	FieldAccessKeyID         Field = "accessKeyId"
	FieldAccountAlias        Field = "accountAlias"
	FieldMaxSessionDuration  Field = "maxSessionDuration"
	FieldPermissionsBoundary Field = "permissionsBoundary"
)

// Name lengths (IAM User Guide, "IAM and AWS STS quotas"; the botocore IAM
// model's userNameType, groupNameType, roleNameType, instanceProfileNameType
// and policyNameType).
const (
	MaxUserName            = 64
	MaxExistingUserName    = 128 // existingUserNameType: names of users that exist
	MaxGroupName           = 128
	MaxRoleName            = 64
	MaxInstanceProfileName = 128
	MaxPolicyName          = 128
	MaxPath                = 512
	MaxMarker              = 320
	MaxTagKey              = 128
	MaxTagValue            = 256
	MaxTagsPerRequest      = 50
	MaxDescription         = 1000
)

// Patterns of the botocore IAM model (service-2.json, 2010-05-08).
var (
	// tagPattern is tagKeyType's and tagValueType's character class.
	tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	// policyPathPattern is policyPathType: segments of name characters.
	policyPathPattern = regexp.MustCompile(`^((/[A-Za-z0-9.,+@=_-]+)*)/$`)
)

// Validation collects what is wrong with a request's parameters, so that one
// refusal names every problem, as IAM does:
//
//	var v iam.Validation
//	v.Name(iam.FieldUserName, name, iam.MaxUserName)
//	v.Path(iam.FieldPath, path)
//	if err := v.Err(); err != nil { return err }
//
// Constraint failures of the service model (lengths, ranges) are listed in
// AWS's form "1 validation error detected: Value 'x' at 'userName' failed to
// satisfy constraint: …". IAM's own checks of characters (a name, a path)
// come after them, and only the first one is reported, with IAM's sentence
// ("The specified value for userName is invalid. …").
type Validation struct {
	model  []string // constraint failures, in order
	custom error    // the first of IAM's own refusals
}

// Err returns the ValidationError (an *Error of kind ErrValidation, or of
// ErrInvalidInput for refusals that IAM words so) or nil.
func (v *Validation) Err() error {
	switch len(v.model) {
	case 0:
		return v.custom
	case 1:
		return refuse(ErrValidation, "1 validation error detected: %s", v.model[0])
	}
	return refuse(ErrValidation, "%d validation errors detected: %s", len(v.model), strings.Join(v.model, "; "))
}

// constraint records a service-model constraint failure.
func (v *Validation) constraint(f Field, value, constraint string) {
	v.model = append(v.model, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, f, constraint))
}

// refuse records IAM's own refusal unless one is already recorded.
func (v *Validation) refuse(err error) {
	if v.custom == nil {
		v.custom = err
	}
}

// Length checks a string parameter's length in characters, min ≤ n ≤ max.
// The messages are those of the AWS Query services' model validation.
func (v *Validation) Length(f Field, value string, min, max int) bool {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		v.constraint(f, value, "Member must have length greater than or equal to "+strconv.Itoa(min))
		return false
	case n > max:
		v.constraint(f, value, "Member must have length less than or equal to "+strconv.Itoa(max))
		return false
	}
	return true
}

// Range checks an integer parameter, min ≤ n ≤ max.
func (v *Validation) Range(f Field, n, min, max int) bool {
	switch {
	case n < min:
		v.constraint(f, strconv.Itoa(n), "Member must have value greater than or equal to "+strconv.Itoa(min))
		return false
	case n > max:
		v.constraint(f, strconv.Itoa(n), "Member must have value less than or equal to "+strconv.Itoa(max))
		return false
	}
	return true
}

// Name checks a user, group, role, instance profile or policy name: 1 to max
// characters, alphanumeric or + = , . @ _ -. The character refusal is IAM's
// sentence, as real IAM answers it (quoted in GitHub wallix/awless#277 and
// kubecost/docs#36).
func (v *Validation) Name(f Field, name string, max int) bool {
	if !v.Length(f, name, 1, max) {
		return false
	}
	if !IsName(name) {
		v.refuse(refuse(ErrValidation, "The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-", f))
		return false
	}
	return true
}

// Path checks an optional path ("" = not given): 1 to 512 characters, "/"
// or "/…/" with printable ASCII between. The refusal is IAM's sentence
// (quoted in GitHub aws-cloudformation/cfn-lint#722 and
// serverless/serverless#3802).
func (v *Validation) Path(f Field, path string) bool {
	if path == "" {
		return true
	}
	if !v.Length(f, path, 1, MaxPath) {
		return false
	}
	if !IsPath(path) {
		v.refuse(refuse(ErrValidation, "The specified value for %s is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", f))
		return false
	}
	return true
}

// CustomerPath checks an optional path given by a customer (not by a
// service): Path, and not under /aws-service-role/, which IAM keeps for
// service-linked roles, so that no customer can recreate a deleted
// service-linked role's ARN with a trust policy of its own (issue 14). The
// refusal is IAM's (InvalidInput, quoted in tilfin/aws-iam-policy-tool#9).
func (v *Validation) CustomerPath(f Field, path string) bool {
	if !v.Path(f, path) {
		return false
	}
	if strings.HasPrefix(path, managed.ServiceRolePath) {
		v.refuse(refuse(ErrInvalidInput, "Path prefix '%s' can only be used for AWS Service linked Roles", managed.ServiceRolePath))
		return false
	}
	return true
}

// PolicyPath checks an optional customer managed policy's path, which the
// model constrains more tightly than other paths (policyPathType: segments
// of name characters).
func (v *Validation) PolicyPath(f Field, path string) bool {
	if !v.CustomerPath(f, path) {
		return false
	}
	if path != "" && !policyPathPattern.MatchString(path) {
		v.refuse(refuse(ErrValidation, "The specified value for %s is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", f))
		return false
	}
	return true
}

// PathPrefix checks a list's optional PathPrefix: it starts with "/" and
// holds printable ASCII (pathPrefixType).
func (v *Validation) PathPrefix(prefix string) bool {
	if prefix == "" {
		return true
	}
	if !v.Length(FieldPathPrefix, prefix, 1, MaxPath) {
		return false
	}
	if prefix[0] != '/' || !printableASCII(prefix, 0x7f) {
		v.constraint(FieldPathPrefix, prefix, `Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
		return false
	}
	return true
}

// Description checks an optional description: at most 1000 characters of
// tab, LF, CR and U+0020–U+00FF except U+007F–U+00A0 (roleDescriptionType).
func (v *Validation) Description(f Field, d string) bool {
	if !v.Length(f, d, 0, MaxDescription) {
		return false
	}
	for _, r := range d {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xff || (r > 0x7e && r < 0xa1)) {
			v.constraint(f, d, `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`)
			return false
		}
	}
	return true
}

// Tags checks a request's tags: at most 50, keys of 1–128 and values of
// 0–256 characters of letters, digits, spaces and _ . : / = + - @, no key
// twice (compared case-insensitively, as IAM compares tag keys), and no key
// beginning with the reserved aws: ([ReservedTagKey]).
func (v *Validation) Tags(tags []store.Tag) bool {
	ok := true
	if len(tags) > MaxTagsPerRequest {
		v.constraint(FieldTags, fmt.Sprint(tags), "Member must have length less than or equal to "+strconv.Itoa(MaxTagsPerRequest))
		return false
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		at := fmt.Sprintf("tags.%d.member.", i+1)
		ok = v.tagKey(Field(at+"key"), t.Key) && ok
		if ReservedTagKey(t.Key) {
			v.refuse(refuse(ErrInvalidInput, "%s", ReservedTagMessage(t.Key)))
			ok = false
		}
		if v.Length(Field(at+"value"), t.Value, 0, MaxTagValue) && !tagPattern.MatchString(t.Value) {
			v.constraint(Field(at+"value"), t.Value, `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
			ok = false
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			// moto's text for the same refusal (moto/iam/models.py); AWS's
			// own wording is unverified.
			v.refuse(refuse(ErrInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive."))
			ok = false
		}
		seen[k] = true
	}
	return ok
}

// ReservedTagKey reports whether a tag key begins with "aws:", in any case:
// "You cannot create a tag key or value that begins with the text aws:. This
// tag prefix is reserved for AWS internal use." (IAM User Guide, "Tagging IAM
// resources", "Rules for tagging in IAM and AWS STS" — the rule covers IAM
// users, roles, policies, instance profiles and STS session tags alike).
// Tag keys of users and roles compare regardless of case, so "AWS:" is
// reserved too.
func ReservedTagKey(key string) bool {
	return len(key) >= len(reservedTagPrefix) && strings.EqualFold(key[:len(reservedTagPrefix)], reservedTagPrefix)
}

const reservedTagPrefix = "aws:"

// ReservedTagMessage is the refusal of a reserved tag key, in IAM and in STS
// (session tags). AWS's own text is not published and no public report
// quotes it; this one states the User Guide's rule.
func ReservedTagMessage(key string) string {
	return "The tag key '" + key + "' is not valid: tag keys that begin with aws: are reserved for AWS internal use."
}

// TagKeys checks the keys of an Untag… request.
func (v *Validation) TagKeys(keys []string) bool {
	if len(keys) > MaxTagsPerRequest {
		v.constraint(FieldTagKeys, "["+strings.Join(keys, ", ")+"]", "Member must have length less than or equal to "+strconv.Itoa(MaxTagsPerRequest))
		return false
	}
	ok := true
	for i, k := range keys {
		ok = v.tagKey(Field(fmt.Sprintf("tagKeys.%d.member", i+1)), k) && ok
	}
	return ok
}

func (v *Validation) tagKey(f Field, key string) bool {
	if !v.Length(f, key, 1, MaxTagKey) {
		return false
	}
	if !tagPattern.MatchString(key) {
		v.constraint(f, key, `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		return false
	}
	return true
}

// IsName reports whether s is made only of the characters IAM allows in the
// names of users, groups, roles, instance profiles and policies:
// alphanumeric and + = , . @ _ - (the model's [\w+=,.@-]+).
func IsName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '+', c == '=', c == ',', c == '.', c == '@', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// IsPath reports whether s is an IAM path: "/" or "/…/" with printable ASCII
// (U+0021–U+007E) between (the model's pathType).
func IsPath(s string) bool {
	if s == "/" {
		return true
	}
	return len(s) >= 3 && s[0] == '/' && s[len(s)-1] == '/' && printableASCII(s, 0x7e)
}

// printableASCII reports whether every byte of s is within U+0021–max.
func printableASCII(s string, max byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > max {
			return false
		}
	}
	return true
}

// ListInput is the pagination and filter input every List… operation takes.
type ListInput struct {
	PathPrefix string // "" = every path
	Marker     string // from the previous response; "" = from the start
	// MaxItems is the page size, 1–1000; 0 means not given (100).
	MaxItems int
}

// Check records what is wrong with in.
func (in ListInput) Check(v *Validation) {
	v.PathPrefix(in.PathPrefix)
	if in.Marker != "" && v.Length(FieldMarker, in.Marker, 1, MaxMarker) && !printableLatin1(in.Marker) {
		v.constraint(FieldMarker, in.Marker, `Member must satisfy regular expression pattern: [\u0020-\u00FF]+`)
	}
	if in.MaxItems != 0 {
		v.Range(FieldMaxItems, in.MaxItems, 1, store.MaxMaxItems)
	}
}

// Options returns the store's list options for in.
func (in ListInput) Options() store.ListOptions {
	return store.ListOptions{PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems}
}

// printableLatin1 reports whether every character of s is within
// U+0020–U+00FF (markerType).
func printableLatin1(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0xff {
			return false
		}
	}
	return true
}

// Page is one page of a List… answer: Marker is "" on the last page.
type Page[T any] struct {
	Items       []T
	Marker      string
	IsTruncated bool
}

// pageOf converts a store page.
func pageOf[T any](p store.Page[T]) Page[T] {
	return Page[T]{Items: p.Items, Marker: p.Marker, IsTruncated: p.Truncated()}
}

// viewPage reads one page of a store listing in a read transaction on
// account, and converts it: the whole of a List… operation once its input
// is checked.
func viewPage[T any](ctx context.Context, st store.Store, account string, list func(tx store.Tx) (store.Page[T], error)) (Page[T], error) {
	var p store.Page[T]
	err := st.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = list(tx)
		return err
	})
	return pageOf(p), err
}

// sliceMarkerPrefix starts the markers of lists paged in memory (tags,
// access keys, the authorization details), so that a marker of another list
// is refused.
const sliceMarkerPrefix = "s1:"

// pageSlice returns one page of items, which are sorted by key: the items
// after in.Marker's key, at most in.MaxItems (100 when 0) of them. A marker
// iamq did not issue is InvalidInput.
func pageSlice[T any](items []T, in ListInput, key func(T) string) (Page[T], error) {
	start := 0
	if in.Marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.Marker)
		after, ok := strings.CutPrefix(string(b), sliceMarkerPrefix)
		if err != nil || !ok {
			return Page[T]{}, refuse(ErrInvalidInput, "Invalid Marker.")
		}
		for start < len(items) && key(items[start]) <= after {
			start++
		}
	}
	n := in.MaxItems
	if n == 0 {
		n = store.DefaultMaxItems
	}
	p := Page[T]{Items: items[start:min(start+n, len(items))]}
	if start+n < len(items) {
		p.IsTruncated = true
		p.Marker = base64.RawURLEncoding.EncodeToString([]byte(sliceMarkerPrefix + key(p.Items[len(p.Items)-1])))
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p, nil
}
