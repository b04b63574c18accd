package analyzerapi

import (
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server"
)

// FuzzGenerationRequest: no StartPolicyGeneration body makes the reading
// panic, and what it accepts is a job for a user or role of the caller's
// account, over a time range that ends after it starts, with a bounded
// client token and trails.
func FuzzGenerationRequest(f *testing.F) {
	f.Add(`{"policyGenerationDetails":{"principalArn":"arn:aws:iam::111122223333:role/app"},"clientToken":"t",` +
		`"cloudTrailDetails":{"startTime":"2026-01-01T00:00:00Z","endTime":"2026-01-02T00:00:00Z","trails":[{"cloudTrailArn":"x","allRegions":true}],"accessRole":"r"}}`)
	f.Add(`{"policyGenerationDetails":{"principalArn":"arn:aws:iam::111122223333:user/a/b"}}`)
	f.Add(`{"policyGenerationDetails":{"principalArn":"arn:aws:sts::111122223333:assumed-role/r/s"}}`)
	f.Add(`{"cloudTrailDetails":{"startTime":1}}`)
	a := &api{}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		c := &server.Call{Body: []byte(body), Time: now, Caller: authz.Principal{Account: "111122223333"}}
		g, err := a.generationRequest(c)
		if err != nil {
			return
		}
		p, perr := arn.Parse(g.Principal)
		typ, _, _ := strings.Cut(p.Resource, "/")
		if perr != nil || p.Service != "iam" || (typ != arn.TypeUser && typ != arn.TypeRole) || p.Account != "111122223333" {
			t.Fatalf("accepted principal %q", g.Principal)
		}
		if !g.Since.Before(g.Until) || len(g.ClientToken) > maxClientToken || len(g.Trails) > maxTrailsBytes || len(g.ID) != 36 {
			t.Fatalf("accepted job %+v", g)
		}
	})
}
