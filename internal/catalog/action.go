package catalog

import "strings"

// AccessLevel classifies what an action grants, as the Service Authorization
// Reference's "Access level" column does ("Access levels in policy summaries",
// IAM User Guide). A few actions carry two levels ("Tagging, Write").
type AccessLevel string

// The five access levels of the Service Authorization Reference.
const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// AccessLevels lists every AccessLevel, in the order the reference names them.
func AccessLevels() []AccessLevel {
	return []AccessLevel{List, Read, Write, PermissionsManagement, Tagging}
}

// levelCode is an AccessLevel's one-byte code in the compact form.
func levelCode(l AccessLevel) (byte, bool) {
	for i, x := range AccessLevels() {
		if x == l {
			return byte(i), true
		}
	}
	return 0, false
}

// levelOfCode is the AccessLevel of a one-byte code.
func levelOfCode(c byte) (AccessLevel, bool) {
	switch c {
	case 0:
		return List, true
	case 1:
		return Read, true
	case 2:
		return Write, true
	case 3:
		return PermissionsManagement, true
	case 4:
		return Tagging, true
	}
	return "", false
}

// KeyType is the value type of a condition key ("String", "ArrayOfString",
// "ARN", "Bool", "Date", "Numeric", "IPAddress", …), as the reference names it.
type KeyType string

// The condition key types found in the reference.
const (
	TypeString        KeyType = "String"
	TypeArrayOfString KeyType = "ArrayOfString"
	TypeARN           KeyType = "ARN"
	TypeArrayOfARN    KeyType = "ArrayOfARN"
	TypeBool          KeyType = "Bool"
	TypeArrayOfBool   KeyType = "ArrayOfBool"
	TypeDate          KeyType = "Date"
	TypeNumeric       KeyType = "Numeric"
	TypeIPAddress     KeyType = "IPAddress"
)

// Action is one action of a service ("mq:CreateBroker"). Values returned by
// the catalog are shared: callers must not modify them.
type Action struct {
	// Service is the prefix of the service that defines the action ("mq").
	Service string
	// Name is the action's name as the reference spells it ("CreateBroker").
	// IAM matches action names case-insensitively.
	Name        string
	Description string
	// AccessLevels holds one level, or two for the few actions such as
	// mq:CreateTags ("Tagging, Write").
	AccessLevels []AccessLevel
	// ResourceTypes are the resource types the action can be scoped to. When
	// empty, the action supports no resource-level permissions and must be
	// granted on "*".
	ResourceTypes []ActionResource
	// ConditionKeys are the keys the action supports beyond those of its
	// resource types.
	ConditionKeys []string
	// DependentActions are the actions that calling this one also needs.
	DependentActions []string
}

// String returns the action as a policy names it: "mq:CreateBroker".
func (a *Action) String() string { return a.Service + ":" + a.Name }

// Is reports whether the action has access level l (among its one or two).
func (a *Action) Is(l AccessLevel) bool {
	for _, x := range a.AccessLevels {
		if x == l {
			return true
		}
	}
	return false
}

// AccessLevel returns the levels as the reference writes them: "Tagging, Write".
func (a *Action) AccessLevel() string {
	parts := make([]string, len(a.AccessLevels))
	for i, l := range a.AccessLevels {
		parts[i] = string(l)
	}
	return strings.Join(parts, ", ")
}

// SupportsResourceLevel reports whether the action can be scoped to resource
// ARNs, that is whether it names at least one resource type.
func (a *Action) SupportsResourceLevel() bool { return len(a.ResourceTypes) > 0 }

// ActionResource is a resource type an action can be scoped to.
type ActionResource struct {
	// Type is the service's resource type (its name and ARN format).
	Type *ResourceType
	// Required is true when the reference marks the type with "*": a caller
	// must be allowed the action on a resource of this type.
	Required bool
	// ConditionKeys and DependentActions apply when the action is performed
	// on a resource of this type.
	ConditionKeys    []string
	DependentActions []string
}

// ResourceType is a kind of resource a service defines ("brokers"), with the
// ARN format that names one.
type ResourceType struct {
	Name string
	// ARNFormat is the format with ${Variables}:
	// "arn:${Partition}:mq:${Region}:${Account}:broker:${BrokerName}:${BrokerId}".
	ARNFormat string
	// ConditionKeys are the keys that apply to every action on this type.
	ConditionKeys []string

	format arnFormat
}

// ConditionKey is a condition key and the type of its values.
type ConditionKey struct {
	// Name is the key, possibly a template: "aws:RequestTag/${TagKey}".
	Name        string
	Description string
	Type        KeyType
	// Category is set for global keys only: principal, session, network,
	// resource or request.
	Category string
}
