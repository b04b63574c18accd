package mqapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
)

// TestRESTWritesKeepCaches: Amazon MQ's writes (REST-JSON) change nothing
// a caller's access is made of, so the caller's cached key and compiled set
// survive them, and the calls that follow need no store read to
// authenticate or authorize.
func TestRESTWritesKeepCaches(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.user("admin", []string{fullAccess}, "")
	// The first broker makes the service-linked role: a change of that
	// role only, which drops nothing of admin's.
	if _, err := admin.CreateBroker(ctx, activeMQ("first")); err != nil {
		t.Fatal(err)
	}
	cached := func() (any, any) {
		t.Helper()
		k, err := f.creds.Lookup(ctx, f.keyID)
		if err != nil {
			t.Fatal(err)
		}
		set, _, err := f.az.Set(ctx, k.Principal)
		if err != nil {
			t.Fatal(err)
		}
		return k.Principal, set
	}
	p, set := cached()
	writes := []struct {
		name  string
		write func() error
	}{
		{"CreateBroker", func() error { _, err := admin.CreateBroker(ctx, activeMQ("second")); return err }},
		{"CreateConfiguration", func() error {
			_, err := admin.CreateConfiguration(ctx, &awsmq.CreateConfigurationInput{Name: aws.String("conf"), EngineType: mqtypes.EngineTypeActivemq, EngineVersion: aws.String("5.18")})
			return err
		}},
	}
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s = %v", w.name, err)
		}
		if p2, set2 := cached(); p2 != p || set2 != set {
			t.Errorf("%s dropped admin's cached key (%v) or compiled set (%v), want both kept", w.name, p2 != p, set2 != set)
		}
	}
}
