package managed

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/history"
)

const viewOnly = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"

// TestApplyCatalog applies a catalog in which mq launches ListBrokerWidgets
// (List) and DeleteBrokerWidget (Write): ViewOnlyAccess gets v46 with the
// first only, proven and recorded; DatabaseAdministrator (whose rule does
// not reach mq) is untouched; the live catalog knows the new actions on a
// registry that starts afterwards; applying again changes nothing.
func TestApplyCatalog(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{Now: fixedNow})
	file, err := os.ReadFile("testdata/mq-widgets.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := reg.ApplyCatalog(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Applied || len(res.Published) != 1 || res.Published[0].Policy != "ViewOnlyAccess" || res.Published[0].Version != "v46" ||
		!slices.Equal(res.Published[0].Added, []string{"mq:ListBrokerWidgets"}) {
		t.Fatalf("ApplyCatalog = %+v, want ViewOnlyAccess v46 adding mq:ListBrokerWidgets", res)
	}
	v, doc, err := reg.DefaultVersion(ctx, viewOnly)
	if err != nil || v != "v46" || !strings.Contains(doc, `"mq:ListBrokerWidgets"`) || strings.Contains(doc, "DeleteBrokerWidget") {
		t.Fatalf("ViewOnlyAccess default = %s, %v; want v46 with ListBrokerWidgets and not DeleteBrokerWidget", v, err)
	}
	e, err := history.New(st).Entry(ctx, HistoryID(viewOnly, "v46"))
	if err != nil || e.Kind != history.AddedPermissions || e.Added != 1 || !strings.Contains(e.Source, res.ID) {
		t.Fatalf("history entry = %+v, %v; want Added permissions, 1 action, from the update", e, err)
	}
	if _, ok := reg.Catalog().Action("mq:ListBrokerWidgets"); !ok {
		t.Fatal("the live catalog lacks mq:ListBrokerWidgets after the update")
	}
	restarted := NewRegistry(Builtin(), st, RegistryOptions{})
	if err := restarted.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := restarted.Catalog().Action("mq:DeleteBrokerWidget"); !ok {
		t.Fatal("a registry started after the update lacks mq:DeleteBrokerWidget")
	}
	again, err := reg.ApplyCatalog(ctx, file)
	if err != nil || again.Applied || len(again.Published) != 0 {
		t.Fatalf("ApplyCatalog again = %+v, %v; want nothing applied", again, err)
	}
	// Another node that has not refreshed still applies nothing.
	if again, err := restarted.ApplyCatalog(ctx, file); err != nil || again.Applied {
		t.Fatalf("ApplyCatalog again on another registry = %+v, %v; want nothing applied", again, err)
	}
	list, err := st.CatalogUpdates(ctx, false)
	if err != nil || len(list) != 1 {
		t.Fatalf("CatalogUpdates = %d, %v; want 1", len(list), err)
	}
	if v, _, _ := reg.DefaultVersion(ctx, viewOnly); v != "v46" {
		t.Fatalf("ViewOnlyAccess after applying twice = %s, want v46", v)
	}
	for _, bad := range [][]byte{nil, []byte("{}"), []byte(`{"schemaVersion":1,"servicePrefix":"mq"}`), []byte("not json")} {
		if _, err := reg.ApplyCatalog(ctx, bad); !errors.Is(err, ErrCatalog) {
			t.Errorf("ApplyCatalog(%.20q) = %v, want ErrCatalog", bad, err)
		}
	}
	if list, _ := st.CatalogUpdates(ctx, false); len(list) != 1 {
		t.Fatalf("refused updates were stored: %d", len(list))
	}
}

// TestRules checks each rule on actions whose fate is known: what
// ViewOnlyAccess and DatabaseAdministrator must and must not add.
func TestRules(t *testing.T) {
	reg := NewRegistry(Builtin(), openStore(t), RegistryOptions{})
	c := reg.Catalog()
	for _, tc := range []struct {
		policy, action string
		want           bool
	}{
		{"ViewOnlyAccess", "mq:ListBrokers", true},
		{"ViewOnlyAccess", "mq:DescribeBroker", true},
		{"ViewOnlyAccess", "mq:DeleteBroker", false},
		{"ViewOnlyAccess", "s3:GetObject", false},
		{"ViewOnlyAccess", "secretsmanager:DescribeSecret", false}, // excluded: a secret's read
		{"ViewOnlyAccess", "ec2:DescribeInstances", true},
		{"ViewOnlyAccess", "iam:CreateUser", false},
		{"DatabaseAdministrator", "rds:CreateDBInstance", true},
		{"DatabaseAdministrator", "rds:AuthorizeDBSecurityGroupIngress", true},
		{"DatabaseAdministrator", "cloudwatch:GetMetricData", true},
		{"DatabaseAdministrator", "cloudwatch:PutMetricAlarm", false},
		{"DatabaseAdministrator", "mq:ListBrokers", false},
	} {
		r, ok := JobFunctionRule(tc.policy)
		a, found := c.Action(tc.action)
		if !ok || !found {
			t.Fatalf("rule %s (%v) or action %s (%v) missing", tc.policy, ok, tc.action, found)
		}
		if got := r.Matches(a); got != tc.want {
			t.Errorf("%s rule matches %s = %v, want %v", tc.policy, tc.action, got, tc.want)
		}
	}
}
