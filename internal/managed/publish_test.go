package managed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/store"
)

const (
	mqFull = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
	// fullV5 is AmazonMQFullAccess v5 (shared/data/managed-policies).
	fullV5 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:*","cloudformation:CreateStack","ec2:CreateNetworkInterface","ec2:CreateNetworkInterfacePermission","ec2:DeleteNetworkInterface","ec2:DeleteNetworkInterfacePermission","ec2:DetachNetworkInterface","ec2:DescribeInternetGateways","ec2:DescribeNetworkInterfaces","ec2:DescribeNetworkInterfacePermissions","ec2:DescribeRouteTables","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:CreateSecurityGroup","ec2:AuthorizeSecurityGroupIngress"%s],"Resource":"*"},{"Effect":"Allow","Action":["logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/amazonmq/*"]},{"Action":"iam:CreateServiceLinkedRole","Effect":"Allow","Resource":"*","Condition":{"StringLike":{"iam:AWSServiceName":"mq.amazonaws.com"}}}]}`
)

func fixedNow() time.Time { return time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC) }

// TestPublishUpdate publishes an addition (proven, v6, an "Added
// permissions" entry stored with it), refuses a removal with the
// counterexample and changes nothing, then lets it through with a reason
// as a breaking change (v7).
func TestPublishUpdate(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{Now: fixedNow})
	h := history.New(st)

	added := strings.Replace(fullV5, "%s", `,"ec2:DescribeVpcEndpoints"`, 1)
	pub, err := reg.PublishUpdate(ctx, Update{Policy: "AmazonMQFullAccess", Document: added, Description: "Amazon MQ reads VPC endpoints."})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Version.ID != "v6" || pub.Since != "v5" || pub.Policy.DefaultVersion != "v6" {
		t.Fatalf("PublishUpdate = %s since %s, default %s; want v6 since v5, the default", pub.Version.ID, pub.Since, pub.Policy.DefaultVersion)
	}
	e, err := h.Entry(ctx, HistoryID(mqFull, "v6"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != history.AddedPermissions || e.Service != "mq" || e.Added != 1 || e.Diff.Added[0] != "ec2:DescribeVpcEndpoints" ||
		!e.Date.Equal(fixedNow()) || !strings.Contains(e.Description, "ec2:DescribeVpcEndpoints") {
		t.Fatalf("history entry = %+v, want Added permissions naming ec2:DescribeVpcEndpoints, dated now", e)
	}

	dropped := strings.Replace(strings.Replace(fullV5, `,"ec2:AuthorizeSecurityGroupIngress"`, "", 1), "%s", "", 1)
	_, err = reg.PublishUpdate(ctx, Update{Policy: mqFull, Document: dropped, Description: "Drop an action."})
	var re *RemovalError
	if !errors.As(err, &re) || !errors.Is(err, ErrNotMonotonic) || re.Result.Request == nil ||
		!strings.EqualFold(re.Result.Request.Action, "ec2:AuthorizeSecurityGroupIngress") ||
		!strings.Contains(err.Error(), "ec2:AuthorizeSecurityGroupIngress") {
		t.Fatalf("PublishUpdate(removal) = %v, want ErrNotMonotonic with the counterexample ec2:AuthorizeSecurityGroupIngress", err)
	}
	if v, _, _ := reg.DefaultVersion(ctx, mqFull); v != "v6" {
		t.Fatalf("default after a refused publish = %s, want v6", v)
	}
	if _, err := h.Entry(ctx, HistoryID(mqFull, "v7")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("history after a refused publish: %v, want no v7", err)
	}
	_, err = reg.PublishUpdate(ctx, Update{Policy: mqFull, Document: dropped, Description: "Drop an action.", AllowRemoval: true})
	if !errors.Is(err, ErrNoReason) {
		t.Fatalf("PublishUpdate(allow removal, no reason) = %v, want ErrNoReason", err)
	}
	pub, err = reg.PublishUpdate(ctx, Update{Policy: mqFull, Document: dropped, Description: "Drop an action.",
		AllowRemoval: true, Reason: "the action moved to another policy"})
	if err != nil || pub.Version.ID != "v7" {
		t.Fatalf("PublishUpdate(allow removal) = %+v, %v; want v7", pub.Version, err)
	}
	e, err = h.Entry(ctx, HistoryID(mqFull, "v7"))
	if err != nil || !e.Kind.Breaking() || e.Removed != 2 || !strings.Contains(e.Description, "the action moved to another policy") {
		t.Fatalf("history entry of the removal = %+v, %v; want a breaking change with the reason", e, err)
	}

	for _, bad := range []Update{
		{Policy: "NoSuchPolicy", Document: added, Description: "x"},
		{Policy: mqFull, Document: `{"Version":"2012-10-17","Statement":[]`, Description: "x"},
		{Policy: mqFull, Document: added, Description: ""},
		{Policy: mqFull, Document: added, Description: strings.Repeat("x", maxDescription+1)},
		{Policy: mqFull, Document: added + strings.Repeat(" ", MaxDocument), Description: "x"},
	} {
		if _, err := reg.PublishUpdate(ctx, bad); err == nil {
			t.Errorf("PublishUpdate(%.40q, %.40q) succeeded, want an error", bad.Policy, bad.Description)
		}
	}
	if v, _, _ := reg.DefaultVersion(ctx, mqFull); v != "v7" {
		t.Fatalf("default after refused publishes = %s, want v7", v)
	}
}

// TestPublishUpdateConflict: a registry that has not seen another node's
// publish checks against a stale default; the store refuses its number.
func TestPublishUpdateConflict(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	a, b := NewRegistry(Builtin(), st, RegistryOptions{}), NewRegistry(Builtin(), st, RegistryOptions{})
	if _, err := b.Policies(); err != nil { // b loads before a publishes
		t.Fatal(err)
	}
	doc := strings.Replace(fullV5, "%s", `,"ec2:DescribeVpcEndpoints"`, 1)
	if _, err := a.PublishUpdate(ctx, Update{Policy: mqFull, Document: doc, Description: "a"}); err != nil {
		t.Fatal(err)
	}
	_, err := b.PublishUpdate(ctx, Update{Policy: mqFull, Document: doc, Description: "b"})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale PublishUpdate = %v, want store.ErrConflict", err)
	}
}
