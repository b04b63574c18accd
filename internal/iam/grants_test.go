package iam

import (
	"context"
	"reflect"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// TestGrantsService: which statements grant access to a service namespace,
// with the catalog's service known (mq) or not (nosuchsvc).
func TestGrantsService(t *testing.T) {
	mq := &serviceActions{count: 3, expand: func(p string) []string {
		var out []string
		for _, a := range []string{"CreateBroker", "DescribeBroker", "ListBrokers"} {
			if globFold(p, a) {
				out = append(out, a)
			}
		}
		return out
	}}
	tests := []struct {
		name, doc string
		ns        string
		svc       *serviceActions
		want      bool
	}{
		{"an action of the service", `{"Statement":{"Effect":"Allow","Action":"mq:DescribeBroker","Resource":"*"}}`, "mq", mq, true},
		{"a wildcard of the service, any case", `{"Statement":{"Effect":"Allow","Action":"MQ:list*","Resource":"*"}}`, "mq", mq, true},
		{"a wildcard matching none of its actions", `{"Statement":{"Effect":"Allow","Action":"mq:Delete*","Resource":"*"}}`, "mq", mq, false},
		{"another service", `{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`, "mq", mq, false},
		{"everything", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "mq", mq, true},
		{"a prefix wildcard", `{"Statement":{"Effect":"Allow","Action":"m?:*","Resource":"*"}}`, "mq", mq, true},
		{"a deny only", `{"Statement":{"Effect":"Deny","Action":"mq:*","Resource":"*"}}`, "mq", mq, false},
		{"NotAction of another service", `{"Statement":{"Effect":"Allow","NotAction":"ec2:*","Resource":"*"}}`, "mq", mq, true},
		{"NotAction of the whole service", `{"Statement":{"Effect":"Allow","NotAction":"mq:*","Resource":"*"}}`, "mq", mq, false},
		{"NotAction naming every action", `{"Statement":{"Effect":"Allow","NotAction":["mq:CreateBroker","mq:DescribeBroker","mq:ListBrokers"],"Resource":"*"}}`, "mq", mq, false},
		{"NotAction leaving one out", `{"Statement":{"Effect":"Allow","NotAction":["mq:CreateBroker","mq:Describe*"],"Resource":"*"}}`, "mq", mq, true},
		{"unknown service, its prefix", `{"Statement":{"Effect":"Allow","Action":"nosuchsvc:Get*","Resource":"*"}}`, "nosuchsvc", nil, true},
		{"unknown service, NotAction of all of it", `{"Statement":{"Effect":"Allow","NotAction":"nosuchsvc:*","Resource":"*"}}`, "nosuchsvc", nil, false},
		{"unknown service, NotAction of part of it", `{"Statement":{"Effect":"Allow","NotAction":"nosuchsvc:Get*","Resource":"*"}}`, "nosuchsvc", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := policy.Parse(`{"Version":"2012-10-17",` + tt.doc[1:])
			if err != nil {
				t.Fatal(err)
			}
			if got := grantsService(d, tt.ns, tt.svc); got != tt.want {
				t.Errorf("grantsService(%s, %s) = %v, want %v", tt.doc, tt.ns, got, tt.want)
			}
		})
	}
}

// TestListPoliciesGrantingServiceAccess: a user's list holds its inline and
// managed policies and its groups', a group's only its own; each namespace
// asked for has an entry; a missing entity is NoSuchEntity, a bad ARN
// InvalidInput.
func TestListPoliciesGrantingServiceAccess(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "dev", Path: "/team/"})
	must(err)
	_, err = s.CreateGroup(ctx, testAccount, "ops", "/")
	must(err)
	must(s.AddUserToGroup(ctx, testAccount, "ops", "dev"))
	user, group := store.EntityRef{Kind: store.KindUser, Name: "dev"}, store.EntityRef{Kind: store.KindGroup, Name: "ops"}
	must(s.PutInlinePolicy(ctx, testAccount, user, "mq-admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"mq:*","Resource":"*"}}`))
	must(s.PutInlinePolicy(ctx, testAccount, group, "ec2-read", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}}`))
	p, err := s.CreatePolicy(ctx, testAccount, CreatePolicyInput{Name: "logs", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}}`})
	must(err)
	must(s.AttachPolicy(ctx, testAccount, user, p.ARN))
	must(s.AttachPolicy(ctx, testAccount, group, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"))

	got, err := s.ListPoliciesGrantingServiceAccess(ctx, testAccount, "arn:aws:iam::"+testAccount+":user/team/dev", []string{"mq", "ec2", "logs", "s3"})
	must(err)
	want := []ServiceAccess{
		{"mq", []PolicyGrant{{PolicyName: "mq-admin", PolicyType: PolicyInline, EntityType: "USER", EntityName: "dev"},
			{PolicyName: "AmazonMQReadOnlyAccess", PolicyType: PolicyManaged, PolicyArn: "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"}}},
		{"ec2", []PolicyGrant{{PolicyName: "ec2-read", PolicyType: PolicyInline, EntityType: "GROUP", EntityName: "ops"},
			{PolicyName: "AmazonMQReadOnlyAccess", PolicyType: PolicyManaged, PolicyArn: "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"}}},
		{"logs", []PolicyGrant{{PolicyName: "logs", PolicyType: PolicyManaged, PolicyArn: p.ARN}}},
		{"s3", []PolicyGrant{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListPoliciesGrantingServiceAccess(user) =\n%+v\nwant\n%+v", got, want)
	}
	got, err = s.ListPoliciesGrantingServiceAccess(ctx, testAccount, "arn:aws:iam::"+testAccount+":group/ops", []string{"mq"})
	must(err)
	if len(got) != 1 || len(got[0].Policies) != 1 || got[0].Policies[0].PolicyName != "AmazonMQReadOnlyAccess" {
		t.Errorf("ListPoliciesGrantingServiceAccess(group) = %+v, want its managed policy only", got)
	}
	for _, tc := range []struct {
		arn  string
		ns   []string
		kind error
	}{
		{"arn:aws:iam::" + testAccount + ":user/dev", []string{"mq"}, store.ErrNotFound}, // wrong path
		{"arn:aws:iam::" + testAccount + ":role/nobody", []string{"mq"}, store.ErrNotFound},
		{"arn:aws:iam::111122223333:user/team/dev", []string{"mq"}, store.ErrNotFound},
		{"arn:aws:s3:::bucket-name-long", []string{"mq"}, ErrInvalidInput},
		{"arn:aws:iam::" + testAccount + ":user/team/dev", nil, ErrValidation},
		{"arn:aws:iam::" + testAccount + ":user/team/dev", []string{"m q"}, ErrValidation},
	} {
		_, err := s.ListPoliciesGrantingServiceAccess(ctx, testAccount, tc.arn, tc.ns)
		wantIDErr(t, "ListPoliciesGrantingServiceAccess("+tc.arn+")", err, tc.kind, "")
	}
}
