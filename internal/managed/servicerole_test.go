package managed

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestServiceLinkedRoleForMQ(t *testing.T) {
	s, ok := ServiceLinkedRoleFor("MQ.amazonaws.com")
	if !ok {
		t.Fatal("no service-linked role for mq.amazonaws.com")
	}
	if s.RoleName != "AWSServiceRoleForAmazonMQ" || s.Path() != "/aws-service-role/mq.amazonaws.com/" || s.CustomSuffix {
		t.Errorf("ServiceLinkedRoleFor(mq) = %+v, path %s", s, s.Path())
	}
	if p, ok := Builtin().Lookup(s.PolicyARN); !ok || !p.ServiceRole() {
		t.Errorf("%s is not a service-role policy of the library", s.PolicyARN)
	}
	if !json.Valid([]byte(s.TrustPolicy())) {
		t.Errorf("TrustPolicy() is not JSON: %s", s.TrustPolicy())
	}
	if _, ok := ServiceLinkedRoleFor("nosuch.amazonaws.com"); ok {
		t.Error("ServiceLinkedRoleFor(nosuch) found a role")
	}
}

// TestServiceLinkedRoleTable checks every row of the table: a role name IAM
// would give a service-linked role, a service principal, its policy in the
// library under /aws-service-role/, one row per principal and per role, and
// the recorded rows that allow a custom suffix being exactly those AWS was
// recorded allowing.
func TestServiceLinkedRoleTable(t *testing.T) {
	roles := ServiceLinkedRoles()
	if len(roles) < 130 {
		t.Fatalf("%d service-linked roles, want the whole table", len(roles))
	}
	lib := Builtin()
	principals, names := map[string]bool{}, map[string]bool{}
	counts := map[string]int{}
	var suffix []string
	for _, s := range roles {
		counts[s.Source]++
		if !strings.HasPrefix(s.RoleName, "AWSServiceRoleFor") || !strings.HasSuffix(s.ServiceName, ".amazonaws.com") {
			t.Errorf("row %+v: not a service-linked role's name or principal", s)
		}
		for _, arn := range s.PolicyARNs() {
			if p, ok := lib.Lookup(arn); !ok || !p.ServiceRole() {
				t.Errorf("row %s: %s is not a service-role policy of the library", s.ServiceName, arn)
			}
		}
		for _, p := range s.MorePrincipals {
			if !strings.HasSuffix(p, ".amazonaws.com") || p == s.ServiceName {
				t.Errorf("row %s: trusts %q too", s.ServiceName, p)
			}
		}
		if principals[s.ServiceName] || names[s.RoleName] {
			t.Errorf("row %s: principal or role %s twice", s.ServiceName, s.RoleName)
		}
		principals[s.ServiceName], names[s.RoleName] = true, true
		if s.CustomSuffix {
			suffix = append(suffix, s.ServiceName)
		}
		if s.Source != SourceRecorded && s.Source != SourceInferred && s.Source != SourceDocumented {
			t.Errorf("row %s: source %q", s.ServiceName, s.Source)
		}
	}
	// Recorded: autoscaling, connect, lexv2; documented: Monitron's page
	// writes its role AWSServiceRoleForMonitron[_{SUFFIX}].
	want := []string{"autoscaling.amazonaws.com", "connect.amazonaws.com", "lexv2.amazonaws.com", "monitron.amazonaws.com"}
	if !slices.Equal(suffix, want) {
		t.Errorf("services allowing a custom suffix = %v, want %v", suffix, want)
	}
	t.Logf("%d service-linked roles: %d recorded, %d documented, %d inferred", len(roles), counts[SourceRecorded], counts[SourceDocumented], counts[SourceInferred])
}

// TestServiceLinkedRoleTableCoversEveryServiceRolePolicy checks the table's
// account of the library's /aws-service-role/ policies: each is carried by
// a row or listed under "unmatched" with the reason it has none, never both
// and never neither, so a policy added to the library (or a row added to
// the table) without its bookkeeping fails here.
func TestServiceLinkedRoleTableCoversEveryServiceRolePolicy(t *testing.T) {
	var file struct {
		Counts    map[string]int
		Unmatched struct {
			Policies map[string]string
		}
	}
	if err := json.Unmarshal(serviceLinkedRolesJSON, &file); err != nil {
		t.Fatal(err)
	}
	rowed, counts := map[string]bool{}, map[string]int{}
	for _, s := range ServiceLinkedRoles() {
		for _, p := range s.PolicyARNs() {
			rowed[p] = true
		}
		counts[s.Source]++
		counts["total"]++
	}
	if !maps.Equal(counts, file.Counts) {
		t.Errorf("rows by source = %v, the file's counts say %v", counts, file.Counts)
	}
	policies, err := Builtin().Policies()
	if err != nil {
		t.Fatal(err)
	}
	var serviceRole, unmatched int
	for _, p := range policies {
		if !p.ServiceRole() {
			continue
		}
		serviceRole++
		reason, listed := file.Unmatched.Policies[p.Name]
		switch {
		case rowed[p.ARN()] && listed:
			t.Errorf("%s has a row and is listed unmatched", p.Name)
		case !rowed[p.ARN()] && (!listed || reason == ""):
			t.Errorf("%s has no row and no reason under unmatched", p.Name)
		case listed:
			unmatched++
		}
	}
	if unmatched != len(file.Unmatched.Policies) {
		t.Errorf("%d unmatched entries name service-role policies, the file lists %d", unmatched, len(file.Unmatched.Policies))
	}
	t.Logf("%d service-role policies: %d carried by a service-linked role, %d unmatched", serviceRole, serviceRole-unmatched, unmatched)
}

// TestServiceLinkedRoleShapes checks the rows the optional members describe,
// each against its documentation page (the row's "doc"): two principals,
// several policies, and roles only their service creates.
func TestServiceLinkedRoleShapes(t *testing.T) {
	policy := func(name string) string { return "arn:aws:iam::aws:policy/aws-service-role/" + name }
	tests := []struct {
		service, role, trust string
		policies             []string
		serviceCreated       bool
		suffixRequired       bool
	}{
		{service: "odb.amazonaws.com", role: "AWSServiceRoleForODB",
			trust:    `["odb.amazonaws.com","vpc-lattice.amazonaws.com"]`,
			policies: []string{policy("AmazonODBServiceRolePolicy")}},
		{service: "monitron.amazonaws.com", role: "AWSServiceRoleForMonitron",
			trust:    `["monitron.amazonaws.com","core.monitron.amazonaws.com"]`,
			policies: []string{policy("MonitronServiceRolePolicy"), policy("AWSServiceRoleForMonitronPolicy")}},
		{service: "outposts.amazonaws.com", role: "AWSServiceRoleForOutposts", trust: `"outposts.amazonaws.com"`,
			policies: []string{policy("AWSOutpostsServiceRolePolicy")}, serviceCreated: true, suffixRequired: true},
		{service: "profile.amazonaws.com", role: "AWSServiceRoleForProfile", trust: `"profile.amazonaws.com"`,
			policies: []string{policy("CustomerProfilesServiceLinkedRolePolicy")}, serviceCreated: true, suffixRequired: true},
		{service: "scraper.aps.amazonaws.com", role: "AWSServiceRoleForAmazonPrometheusScraper", trust: `"scraper.aps.amazonaws.com"`,
			policies: []string{policy("AmazonPrometheusScraperServiceRolePolicy")}, serviceCreated: true, suffixRequired: true},
		{service: "mq.amazonaws.com", role: "AWSServiceRoleForAmazonMQ", trust: `"mq.amazonaws.com"`,
			policies: []string{policy("AmazonMQServiceRolePolicy")}},
	}
	for _, tt := range tests {
		s, ok := ServiceLinkedRoleFor(tt.service)
		if !ok {
			t.Errorf("no row for %s", tt.service)
			continue
		}
		if s.RoleName != tt.role || !slices.Equal(s.PolicyARNs(), tt.policies) ||
			s.ServiceCreated != tt.serviceCreated || s.SuffixRequired != tt.suffixRequired {
			t.Errorf("%s: %+v, policies %v", tt.service, s, s.PolicyARNs())
		}
		var doc struct {
			Statement []struct {
				Principal struct{ Service json.RawMessage }
			}
		}
		if err := json.Unmarshal([]byte(s.TrustPolicy()), &doc); err != nil || len(doc.Statement) != 1 ||
			string(doc.Statement[0].Principal.Service) != tt.trust {
			t.Errorf("%s: trust policy %s, want Service %s (%v)", tt.service, s.TrustPolicy(), tt.trust, err)
		}
	}
}

// TestServiceLinkedRoleOptionalMembers checks that the file's optional
// members hold only the values the loader knows, so a typo ("Service",
// "requierd") cannot silently make a role CreateServiceLinkedRole creates.
func TestServiceLinkedRoleOptionalMembers(t *testing.T) {
	var file struct {
		Roles []map[string]any
	}
	if err := json.Unmarshal(serviceLinkedRolesJSON, &file); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{"service": true, "role": true, "policy": true, "customSuffix": true, "source": true,
		"doc": true, "inferredFrom": true, "recorded": true, "note": true, "morePolicies": true, "alsoTrusts": true, "createdBy": true, "nameSuffix": true}
	for _, r := range file.Roles {
		for k := range r {
			if !known[k] {
				t.Errorf("row %v: unknown member %q", r["service"], k)
			}
		}
		if v, ok := r["createdBy"]; ok && v != CreatedByService {
			t.Errorf("row %v: createdBy %v", r["service"], v)
		}
		if v, ok := r["nameSuffix"]; ok && v != NameSuffixRequired {
			t.Errorf("row %v: nameSuffix %v", r["service"], v)
		}
	}
}
