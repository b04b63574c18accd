package iam

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestValidation(t *testing.T) {
	tests := []struct {
		name  string
		check func(v *Validation)
		kind  error  // nil: valid
		want  string // the message, when kind is set
	}{
		{"name ok", func(v *Validation) { v.Name(FieldUserName, "Alice+=,.@_-9", MaxUserName) }, nil, ""},
		{"name with space", func(v *Validation) { v.Name(FieldUserName, "bad name", MaxUserName) }, ErrValidation,
			"The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{"name with slash", func(v *Validation) { v.Name(FieldRoleName, "a/b", MaxRoleName) }, ErrValidation,
			"The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{"name too long", func(v *Validation) { v.Name(FieldUserName, strings.Repeat("a", 65), MaxUserName) }, ErrValidation,
			"1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"group name of 128", func(v *Validation) { v.Name(FieldGroupName, strings.Repeat("g", 128), MaxGroupName) }, nil, ""},
		{"empty name", func(v *Validation) { v.Name(FieldGroupName, "", MaxGroupName) }, ErrValidation,
			"1 validation error detected: Value '' at 'groupName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"path root", func(v *Validation) { v.Path(FieldPath, "/") }, nil, ""},
		{"path nested", func(v *Validation) { v.Path(FieldPath, "/division_abc/sub~x/") }, nil, ""},
		{"path not given", func(v *Validation) { v.Path(FieldPath, "") }, nil, ""},
		{"path without slash", func(v *Validation) { v.Path(FieldPath, "test/") }, ErrValidation,
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"path with space", func(v *Validation) { v.Path(FieldNewPath, "/a b/") }, ErrValidation,
			"The specified value for newPath is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"policy path with tilde", func(v *Validation) { v.PolicyPath(FieldPath, "/a~b/") }, ErrValidation,
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"policy path double slash", func(v *Validation) { v.PolicyPath(FieldPath, "/a//") }, ErrValidation,
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"policy path ok", func(v *Validation) { v.PolicyPath(FieldPath, "/team-a/sub.b/") }, nil, ""},
		{"customer path ok", func(v *Validation) { v.CustomerPath(FieldPath, "/aws-service/") }, nil, ""},
		{"customer path of service roles", func(v *Validation) { v.CustomerPath(FieldPath, "/aws-service-role/mq.amazonaws.com/") }, ErrInvalidInput,
			"Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"},
		{"policy path of service roles", func(v *Validation) { v.PolicyPath(FieldPath, "/aws-service-role/") }, ErrInvalidInput,
			"Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"},
		{"path prefix", func(v *Validation) { v.PathPrefix("/division") }, nil, ""},
		{"path prefix without slash", func(v *Validation) { v.PathPrefix("division") }, ErrValidation,
			`1 validation error detected: Value 'division' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`},
		{"two model errors", func(v *Validation) {
			v.Name(FieldUserName, "", MaxUserName)
			v.Range(FieldMaxItems, 0, 1, 1000)
		}, ErrValidation, "2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
			"Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"model errors before IAM's", func(v *Validation) {
			v.Name(FieldUserName, "a b", MaxUserName)
			v.Range(FieldMaxItems, 1001, 1, 1000)
		}, ErrValidation, "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"tags ok", func(v *Validation) {
			v.Tags([]store.Tag{{Key: "Team", Value: "a b:c/d=e+f-g@h"}, {Key: "Empty", Value: ""}})
		}, nil, ""},
		{"tag key bad", func(v *Validation) { v.Tags([]store.Tag{{Key: "a#b", Value: "x"}}) }, ErrValidation,
			`1 validation error detected: Value 'a#b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"tag value too long", func(v *Validation) {
			v.Tags([]store.Tag{{Key: "k", Value: "x"}, {Key: "k2", Value: strings.Repeat("v", 257)}})
		}, ErrValidation,
			"1 validation error detected: Value '" + strings.Repeat("v", 257) + "' at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"tag keys twice", func(v *Validation) { v.Tags([]store.Tag{{Key: "Team", Value: "a"}, {Key: "team", Value: "b"}}) }, ErrInvalidInput,
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"tag key reserved", func(v *Validation) { v.Tags([]store.Tag{{Key: "team", Value: "a"}, {Key: "aws:team", Value: "b"}}) }, ErrInvalidInput,
			"The tag key 'aws:team' is not valid: tag keys that begin with aws: are reserved for AWS internal use."},
		{"tag key reserved in any case", func(v *Validation) { v.Tags([]store.Tag{{Key: "AWS:x", Value: "b"}}) }, ErrInvalidInput,
			"The tag key 'AWS:x' is not valid: tag keys that begin with aws: are reserved for AWS internal use."},
		{"tag key with aws: inside", func(v *Validation) { v.Tags([]store.Tag{{Key: "x:aws:y", Value: "aws"}, {Key: "aws", Value: "b"}}) }, nil, ""},
		{"untag keys", func(v *Validation) { v.TagKeys([]string{"ok", ""}) }, ErrValidation,
			"1 validation error detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"description control char", func(v *Validation) { v.Description(FieldDescription, "a\x01") }, ErrValidation,
			"1 validation error detected: Value 'a\x01' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"},
		{"description latin1", func(v *Validation) { v.Description(FieldDescription, "Grüße\tok") }, nil, ""},
		{"list input ok", func(v *Validation) { ListInput{PathPrefix: "/", Marker: "abc", MaxItems: 1000}.Check(v) }, nil, ""},
		{"list input marker too long", func(v *Validation) { ListInput{Marker: strings.Repeat("m", 321)}.Check(v) }, ErrValidation,
			"1 validation error detected: Value '" + strings.Repeat("m", 321) + "' at 'marker' failed to satisfy constraint: Member must have length less than or equal to 320"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Validation
			tt.check(&v)
			err := v.Err()
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Err() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.kind) || err.Error() != tt.want {
				t.Errorf("Err() = %v (%T), want %v %q", err, err, tt.kind, tt.want)
			}
		})
	}
}

func TestIsPath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{{"/", true}, {"/a/", true}, {"/a/b/", true}, {"//", false}, {"a/", false}, {"/a", false}, {"", false}, {"/é/", false}, {"/a\x7f/", false}}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := IsPath(tt.path); got != tt.want {
				t.Errorf("IsPath(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}
