package managed

import (
	"encoding/json"
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
