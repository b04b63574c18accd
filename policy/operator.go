package policy

import "strings"

// Comparison is a condition operator without its set qualifier and IfExists
// suffix: "StringLike" in "ForAnyValue:StringLikeIfExists". IAM User Guide:
// "IAM JSON policy elements: Condition operators".
type Comparison string

// The condition operators IAM knows.
const (
	StringEquals              Comparison = "StringEquals"
	StringNotEquals           Comparison = "StringNotEquals"
	StringEqualsIgnoreCase    Comparison = "StringEqualsIgnoreCase"
	StringNotEqualsIgnoreCase Comparison = "StringNotEqualsIgnoreCase"
	StringLike                Comparison = "StringLike"
	StringNotLike             Comparison = "StringNotLike"
	NumericEquals             Comparison = "NumericEquals"
	NumericNotEquals          Comparison = "NumericNotEquals"
	NumericLessThan           Comparison = "NumericLessThan"
	NumericLessThanEquals     Comparison = "NumericLessThanEquals"
	NumericGreaterThan        Comparison = "NumericGreaterThan"
	NumericGreaterThanEquals  Comparison = "NumericGreaterThanEquals"
	DateEquals                Comparison = "DateEquals"
	DateNotEquals             Comparison = "DateNotEquals"
	DateLessThan              Comparison = "DateLessThan"
	DateLessThanEquals        Comparison = "DateLessThanEquals"
	DateGreaterThan           Comparison = "DateGreaterThan"
	DateGreaterThanEquals     Comparison = "DateGreaterThanEquals"
	Bool                      Comparison = "Bool"
	BinaryEquals              Comparison = "BinaryEquals"
	IPAddress                 Comparison = "IpAddress"
	NotIPAddress              Comparison = "NotIpAddress"
	ArnEquals                 Comparison = "ArnEquals"
	ArnNotEquals              Comparison = "ArnNotEquals"
	ArnLike                   Comparison = "ArnLike"
	ArnNotLike                Comparison = "ArnNotLike"
	Null                      Comparison = "Null"
)

// Family is the kind of value a Comparison compares; package eval has one file
// per family.
type Family string

// The operator families.
const (
	FamilyString  Family = "String"
	FamilyNumeric Family = "Numeric"
	FamilyDate    Family = "Date"
	FamilyBool    Family = "Bool"
	FamilyBinary  Family = "Binary"
	FamilyIP      Family = "IpAddress"
	FamilyARN     Family = "Arn"
	FamilyNull    Family = "Null"
)

type comparisonInfo struct {
	family  Family
	negated bool
}

var comparisons = map[Comparison]comparisonInfo{
	StringEquals: {FamilyString, false}, StringNotEquals: {FamilyString, true},
	StringEqualsIgnoreCase: {FamilyString, false}, StringNotEqualsIgnoreCase: {FamilyString, true},
	StringLike: {FamilyString, false}, StringNotLike: {FamilyString, true},
	NumericEquals: {FamilyNumeric, false}, NumericNotEquals: {FamilyNumeric, true},
	NumericLessThan: {FamilyNumeric, false}, NumericLessThanEquals: {FamilyNumeric, false},
	NumericGreaterThan: {FamilyNumeric, false}, NumericGreaterThanEquals: {FamilyNumeric, false},
	DateEquals: {FamilyDate, false}, DateNotEquals: {FamilyDate, true},
	DateLessThan: {FamilyDate, false}, DateLessThanEquals: {FamilyDate, false},
	DateGreaterThan: {FamilyDate, false}, DateGreaterThanEquals: {FamilyDate, false},
	Bool: {FamilyBool, false}, BinaryEquals: {FamilyBinary, false},
	IPAddress: {FamilyIP, false}, NotIPAddress: {FamilyIP, true},
	ArnEquals: {FamilyARN, false}, ArnNotEquals: {FamilyARN, true},
	ArnLike: {FamilyARN, false}, ArnNotLike: {FamilyARN, true},
	Null: {FamilyNull, false},
}

// Family returns the family of c, or "" if c is not an operator IAM knows.
func (c Comparison) Family() Family { return comparisons[c].family }

// Negated reports whether c is a negated operator (StringNotEquals,
// NotIpAddress, ArnNotLike, …), which matches when the key is absent.
func (c Comparison) Negated() bool { return comparisons[c].negated }

// Known reports whether IAM knows c.
func (c Comparison) Known() bool { _, ok := comparisons[c]; return ok }

// Qualifier is a condition operator's set prefix, for multivalued keys.
type Qualifier string

// The set qualifiers.
const (
	QualifierNone Qualifier = ""
	ForAllValues  Qualifier = "ForAllValues"
	ForAnyValue   Qualifier = "ForAnyValue"
)

// Operator is a condition operator as written, split into its parts.
type Operator struct {
	// Name is the operator exactly as written, e.g. "ForAnyValue:StringLikeIfExists".
	Name       string
	Comparison Comparison
	Qualifier  Qualifier
	IfExists   bool
}

// ParseOperator splits name into its qualifier, comparison and IfExists
// suffix. It reports false for an operator IAM does not know (which IAM
// refuses as "Syntax errors in policy."). Operator names are case-sensitive.
// Null takes no IfExists suffix.
func ParseOperator(name string) (Operator, bool) {
	op := Operator{Name: name}
	rest := name
	if q, r, ok := strings.Cut(name, ":"); ok {
		switch Qualifier(q) {
		case ForAllValues, ForAnyValue:
			op.Qualifier = Qualifier(q)
			rest = r
		default:
			return op, false
		}
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok && base != string(Null) {
		op.IfExists = true
		rest = base
	}
	op.Comparison = Comparison(rest)
	return op, op.Comparison.Known()
}
