package iam

import (
	"encoding/base64"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/managed"
)

// This file holds the input checks that only the policy operations need:
// policy ARNs, version ids, document parameters and ListPolicies' marker,
// with the constraints of the IAM service model (botocore iam 2010-05-08,
// service-2.json: arnType, policyVersionIdType, policyDocumentType,
// markerType). Names, paths, tags and list input use validate.go.

// Fields only the policy operations validate.
const (
	FieldVersionID         Field = "versionId"
	FieldScope             Field = "scope"
	FieldPolicyUsageFilter Field = "policyUsageFilter"
	FieldEntityFilter      Field = "entityFilter"
)

// Bounds of the service model.
const (
	minARN      = 20
	maxARN      = 2048
	maxDocument = 131072 // policyDocumentType
)

// policyRef is a parsed policy ARN.
type policyRef struct {
	ARN     string // as given
	Account string // 12 digits, or "aws" for an AWS managed policy
	Path    string
	Name    string
}

// AWS reports whether the ARN names an AWS managed policy.
func (r policyRef) AWS() bool { return r.Account == managed.Account }

// policyARN checks arn (arnType: 20 to 2048 characters) and reads it as
// arn:aws:iam::ACCOUNT:policy/PATH/NAME. Anything else is refused with
// InvalidInput "ARN … is not valid." (verified:
// aws-samples/aws-cdk-examples#287). ok is false when v recorded a problem.
func policyARN(v *Validation, f Field, arn string) (ref policyRef, ok bool) {
	if !v.Length(f, arn, minARN, maxARN) {
		return policyRef{}, false
	}
	ref, ok = parsePolicyARN(arn)
	if !ok {
		v.refuse(refuse(ErrInvalidInput, "ARN %s is not valid.", arn))
	}
	return ref, ok
}

// parsePolicyARN reads arn:aws:iam::ACCOUNT:policy/PATH/NAME, ACCOUNT being
// 12 digits or "aws", PATH of the policyPathType alphabet and NAME a policy
// name.
func parsePolicyARN(s string) (policyRef, bool) {
	a, ok := arn.Split(s)
	if !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" ||
		!(a.Account == managed.Account || IsAccountID(a.Account)) {
		return policyRef{}, false
	}
	r := arn.SplitIAMResource(a.Resource)
	if r.Type != arn.TypePolicy || r.Path == "" { // r.Path is "" when the resource has no slash
		return policyRef{}, false
	}
	if !policyPathPattern.MatchString(r.Path) || len(r.Path) > MaxPath || len(r.Name) > MaxPolicyName || !IsName(r.Name) {
		return policyRef{}, false
	}
	return policyRef{ARN: s, Account: a.Account, Path: r.Path, Name: r.Name}, true
}

// checkVersionID checks a version id against the model's
// v[1-9][0-9]*(\.[A-Za-z0-9-]*)?.
func checkVersionID(v *Validation, id string) bool {
	ok := len(id) >= 2 && id[0] == 'v' && '1' <= id[1] && id[1] <= '9'
	i := 2
	for ok && i < len(id) && '0' <= id[i] && id[i] <= '9' {
		i++
	}
	if ok && i < len(id) {
		ok = id[i] == '.'
		for _, c := range []byte(id[i+1:]) {
			ok = ok && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-')
		}
	}
	if !ok {
		v.constraint(FieldVersionID, id, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return ok
}

// checkDocumentParam checks a document parameter as the model constrains
// it, before it is read as a policy: 1 to 131,072 characters of tab, LF, CR
// and U+0020–U+00FF.
func checkDocumentParam(v *Validation, text string) bool {
	if !v.Length(FieldPolicyDocument, text, 1, maxDocument) {
		return false
	}
	for _, r := range text {
		if !(r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0xFF) {
			v.constraint(FieldPolicyDocument, text, `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
			return false
		}
	}
	return true
}

// markerPhase says which part of ListPolicies' combined listing a marker
// resumes.
type markerPhase byte

// The phases of ListPolicies with Scope=All: AWS managed policies first,
// then the account's own.
const (
	phaseAWS   markerPhase = 'a'
	phaseLocal markerPhase = 'l'
)

// policyMarker is ListPolicies' marker: the phase and, within it, where to
// resume (the last AWS managed policy's name, or the store's own marker).
type policyMarker struct {
	Phase markerPhase
	After string
}

// policyMarkerPrefix starts every ListPolicies marker, so that a later
// format, or a marker of another list, is told apart.
const policyMarkerPrefix = "p1:"

// encode makes the opaque marker string.
func (m policyMarker) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(policyMarkerPrefix + string(m.Phase) + m.After))
}

// parsePolicyMarker reads a marker that encode wrote; "" is the start. A
// marker iamq did not issue is InvalidInput.
func parsePolicyMarker(s string) (policyMarker, error) {
	if s == "" {
		return policyMarker{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	rest, ok := strings.CutPrefix(string(b), policyMarkerPrefix)
	if err != nil || !ok || rest == "" || markerPhase(rest[0]) != phaseAWS && markerPhase(rest[0]) != phaseLocal {
		return policyMarker{}, refuse(ErrInvalidInput, "Invalid Marker.")
	}
	return policyMarker{Phase: markerPhase(rest[0]), After: rest[1:]}, nil
}
