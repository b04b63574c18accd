package policy

import "fmt"

// Storage says how IAM stores a document, which decides the Version it
// requires.
type Storage uint8

// The storages.
const (
	// StorageInline: inline policies, trust policies and session policies,
	// which may leave the Version out (it is then 2008-10-17).
	StorageInline Storage = iota
	// StorageManaged: managed policies and their versions (CreatePolicy,
	// CreatePolicyVersion), which must be Version 2012-10-17.
	StorageManaged
)

// MsgManagedVersion is IAM's message for a managed policy whose Version is
// absent or 2008-10-17. Verified: LocalStack's recordings of 2026 and moto's of
// 2019 (testdata/aws/answers.json), Meteor-Community-Packages/Meteor-CollectionFS#630.
// (The IAM console says "A managed policy must have a version string"
// instead: SUSE/suse-best-practices#317.)
const MsgManagedVersion = "Policy document must be version 2012-10-17 or greater."

// phase is when IAM checks for a finding: IAM reports the first error of its
// earliest phase, not the first one in the text. The order was read from
// AWS's answers in testdata/aws/answers.json: a document without a Version
// and with duplicate Sids is refused for its Version; a resource with an
// unknown partition beats an action without a vendor; a statement without
// resources is reported before its action without a vendor.
func phase(c Code) int {
	switch c {
	case CodeSyntax, CodeType, CodeTooLarge, CodeUnknownElement, CodeDuplicateKey, CodeVersion,
		CodeNoStatement, CodeEffect, CodeActionAndNot, CodeResourceAndNot, CodeOperator:
		return 0
	case CodeManagedVersion:
		return 1
	case CodeLegacy:
		return 2
	case CodeDuplicateSid:
		return 3
	case CodeNoAction:
		return 4
	case CodeResourceARN:
		return 5
	case CodeNoResource:
		return 6
	case CodeActionVendor, CodeActionColon, CodeVendor, CodeActionName:
		return 7
	}
	return 8
}

// Refusal returns the finding IAM names when it refuses d as a document of
// kind k stored as s, and false when IAM accepts it. Of d's errors it is the
// first, in the text, of IAM's earliest phase of checks; its Message is what
// IAM's MalformedPolicyDocument error says. Sizes are not checked (see
// SizeFinding).
func (d *Document) Refusal(k Kind, s Storage) (Finding, bool) {
	fs := d.Validate(k)
	if s == StorageManaged && d.Version != Version20121017 {
		at, path := d.locateIn(d.start(), "", "Version", -1)
		fs = append(fs, Finding{Code: CodeManagedVersion, Path: path, Pos: at, Message: MsgManagedVersion,
			Detail: fmt.Sprintf("a managed policy must be Version 2012-10-17, not %q", d.Version)})
	}
	best, found := Finding{}, false
	for _, f := range fs {
		if f.Severity != SeverityError {
			continue
		}
		if !found || phase(f.Code) < phase(best.Code) ||
			phase(f.Code) == phase(best.Code) && f.Pos.Offset < best.Pos.Offset {
			best, found = f, true
		}
	}
	return best, found
}

// Judge parses text and returns the finding IAM names when it refuses it as
// a document of kind k stored as s (see Refusal), or false when IAM accepts
// it. Text that is not JSON gets the message IAM gives kind k.
func Judge(text string, k Kind, s Storage) (Finding, bool) {
	d, err := Parse(text)
	if err != nil {
		if f, ok := ParseFinding(err, k); ok {
			return f, true
		}
		return Finding{Code: CodeSyntax, Message: MsgSyntax, Detail: err.Error()}, true
	}
	return d.Refusal(k, s)
}
