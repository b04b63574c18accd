package managed

import (
	"encoding/json"
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
		if p, ok := lib.Lookup(s.PolicyARN); !ok || !p.ServiceRole() {
			t.Errorf("row %s: %s is not a service-role policy of the library", s.ServiceName, s.PolicyARN)
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
	want := []string{"autoscaling.amazonaws.com", "connect.amazonaws.com", "lexv2.amazonaws.com"}
	if !slices.Equal(suffix, want) {
		t.Errorf("services allowing a custom suffix = %v, want %v", suffix, want)
	}
	t.Logf("%d service-linked roles: %d recorded, %d documented, %d inferred", len(roles), counts[SourceRecorded], counts[SourceDocumented], counts[SourceInferred])
}
