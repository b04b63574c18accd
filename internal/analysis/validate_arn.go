package analysis

import (
	"slices"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/catalog"
)

// ValidatePolicy's checks of resource ARNs against the shape of their
// service's ARNs in the catalog, named as in AWS's check reference.
const (
	codeInvalidPartition       IssueCode = "INVALID_PARTITION"
	codeInvalidARNServiceCase  IssueCode = "INVALID_ARN_SERVICE_CASE"
	codeARNRegionNotAllowed    IssueCode = "ARN_REGION_NOT_ALLOWED"
	codeARNAccountNotAllowed   IssueCode = "ARN_ACCOUNT_NOT_ALLOWED"
	codeMissingARNRegion       IssueCode = "MISSING_ARN_REGION"
	codeUnsupportedResourceARN IssueCode = IssueCode(catalog.CodeUnsupportedResourceARN)
)

// partitions are AWS's partitions (AWS General Reference, "Amazon Resource
// Names (ARNs)"; the isolated ones from the SDKs' partition tables).
var partitions = []string{arn.PartitionAWS, arn.PartitionChina, arn.PartitionGovCloud,
	"aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// arnShape is what a service's ARN formats allow: some with a region, all
// with one; some with an account.
type arnShape struct {
	anyRegion, allRegion, anyAccount bool
}

func shapeOf(s *catalog.Service) (arnShape, bool) {
	types := s.ResourceTypes()
	sh := arnShape{allRegion: len(types) > 0}
	for _, t := range types {
		a, ok := arn.Split(t.ARNFormat)
		if !ok {
			return arnShape{}, false
		}
		sh.anyRegion = sh.anyRegion || a.Region != ""
		sh.allRegion = sh.allRegion && a.Region != ""
		sh.anyAccount = sh.anyAccount || a.Account != ""
	}
	return sh, len(types) > 0
}

// fixed reports whether an ARN segment is plain text (no wildcard, no
// policy variable).
func fixed(seg string) bool { return !strings.ContainsAny(seg, "*?$") }

// arns checks every ARN of the statements' Resource and NotResource.
func (v *validation) arns(cat *catalog.Catalog) {
	for i := range v.doc.Statements {
		st := &v.doc.Statements[i]
		for _, e := range []struct {
			key  string
			list []string
		}{{"Resource", st.Resource}, {"NotResource", st.NotResource}} {
			for j, r := range e.list {
				at := findingPath([]PathElem{Key("Statement"), Index(st.Index)}, Key(e.key), Index(j))
				if code, msg := arnFinding(cat, r); code != "" {
					v.dropAt(codeUnsupportedResourceARN, at)
					v.add(FindingError, code, msg, st.Pos, at...)
				}
			}
		}
	}
}

// arnFinding returns what is wrong with the shape of ARN r, or "".
func arnFinding(cat *catalog.Catalog, r string) (IssueCode, string) {
	a, ok := arn.Split(r)
	if !ok {
		return "", ""
	}
	if fixed(a.Partition) && !slices.Contains(partitions, a.Partition) {
		return codeInvalidPartition, "The resource ARN's partition " + a.Partition + " is not a partition of AWS (aws, aws-cn, aws-us-gov, …)."
	}
	if !fixed(a.Service) {
		return "", ""
	}
	s, ok := cat.Service(a.Service)
	if !ok {
		return "", ""
	}
	if s.Prefix != a.Service {
		return codeInvalidARNServiceCase, "The service " + a.Service + " in the resource ARN must be written in lower case: " + s.Prefix + "."
	}
	sh, ok := shapeOf(s)
	switch {
	case !ok:
	case a.Region != "" && fixed(a.Region) && !sh.anyRegion:
		return codeARNRegionNotAllowed, "The service " + s.Prefix + " does not take a Region in its resource ARNs: remove " + a.Region + "."
	case a.Account != "" && fixed(a.Account) && !sh.anyAccount:
		return codeARNAccountNotAllowed, "The service " + s.Prefix + " does not take an account ID in its resource ARNs: remove " + a.Account + "."
	case a.Region == "" && sh.allRegion:
		return codeMissingARNRegion, "The service " + s.Prefix + " names a Region in every resource ARN: add one, or * for every Region."
	}
	return "", ""
}

// dropAt removes the finding of code at path: a more precise one replaces
// it.
func (v *validation) dropAt(code IssueCode, at []PathElem) {
	v.out = slices.DeleteFunc(v.out, func(f ValidationFinding) bool {
		return f.IssueCode == code && slices.Equal(f.Locations[0].Path, at)
	})
}
