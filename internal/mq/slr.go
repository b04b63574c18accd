package mq

import (
	"context"
	"errors"
	"slices"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// ServicePrincipal is Amazon MQ's service principal, the AWSServiceName of
// its service-linked role.
const ServicePrincipal = "mq.amazonaws.com"

// networkActions are the EC2 permissions the caller needs to create an
// ActiveMQ broker, which Amazon MQ uses to place the broker's network
// interface in the caller's VPC (Amazon MQ API Reference, CreateBroker;
// Developer Guide, "IAM Permissions Required to Create an Amazon MQ
// Broker"). The *Permission actions are asked with ec2:AuthorizedService =
// mq.amazonaws.com, the condition the guide's policy puts on them.
var networkActions = []string{
	"ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
	"ec2:DeleteNetworkInterfacePermission", "ec2:DetachNetworkInterface", "ec2:DescribeInternetGateways",
	"ec2:DescribeNetworkInterfaces", "ec2:DescribeNetworkInterfacePermissions", "ec2:DescribeRouteTables",
	"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
}

// authorizeNetwork asks for every network action on "*".
func (s *Service) authorizeNetwork(ctx context.Context, c *Caller) error {
	for _, action := range networkActions {
		var keys func(*eval.Context)
		if slices.Contains([]string{"ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterfacePermission",
			"ec2:DescribeNetworkInterfacePermissions"}, action) {
			keys = func(ec *eval.Context) { ec.Add("ec2:AuthorizedService", eval.String(ServicePrincipal)) }
		}
		if err := s.authorize(ctx, c, action, "*", keys); err != nil {
			return err
		}
	}
	return nil
}

// ensureRole returns the account's Amazon MQ service-linked role, creating
// it when absent as Amazon MQ does with the first broker ("Using
// service-linked roles for Amazon MQ"): that needs the caller's
// iam:CreateServiceLinkedRole, with iam:AWSServiceName = mq.amazonaws.com,
// on the role.
func (s *Service) ensureRole(ctx context.Context, c *Caller) (store.Role, error) {
	slr, ok := iam.ServiceLinkedRoleFor(ServicePrincipal)
	if !ok {
		return store.Role{}, errors.New("mq: no service-linked role for " + ServicePrincipal)
	}
	role, err := s.iam.GetRole(ctx, c.account(), slr.RoleName)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return role, err
	}
	roleARN := arn.Role(c.account(), slr.Path(), slr.RoleName).String()
	if err := s.authorize(ctx, c, "iam:CreateServiceLinkedRole", roleARN, func(ec *eval.Context) {
		ec.Add("iam:AWSServiceName", eval.String(ServicePrincipal))
	}); err != nil {
		return store.Role{}, err
	}
	role, err = s.iam.CreateServiceLinkedRole(ctx, c.account(), iam.CreateServiceLinkedRoleInput{AWSServiceName: ServicePrincipal})
	if err != nil {
		// A concurrent first broker made it meanwhile.
		if again, err2 := s.iam.GetRole(ctx, c.account(), slr.RoleName); err2 == nil {
			return again, nil
		}
	}
	return role, err
}

// serviceAction is one action Amazon MQ takes in the customer's account
// for a RabbitMQ broker, through its service-linked role
// (AmazonMQServiceRolePolicy, and the Developer Guide's reasons for it).
type serviceAction struct {
	action, resource string
	keys             func(*eval.Context)
}

// serviceActions are what the service does for b: a VPC endpoint for a
// private broker (in the broker's subnets and security groups, tagged
// AMQManaged=true), and the log groups of the logs it publishes.
func serviceActions(b *broker) []serviceAction {
	var out []serviceAction
	ec2 := func(resource string) string { return arn.Service("ec2", b.Region, b.Account, resource).String() }
	if !b.PubliclyAccessible {
		out = append(out, serviceAction{action: "ec2:DescribeVpcEndpoints", resource: "*"})
		for _, sn := range b.SubnetIDs {
			out = append(out, serviceAction{action: "ec2:CreateVpcEndpoint", resource: ec2("subnet/" + sn)})
		}
		for _, sg := range b.SecurityGroups {
			out = append(out, serviceAction{action: "ec2:CreateVpcEndpoint", resource: ec2("security-group/" + sg)})
		}
		tagged := func(ec *eval.Context) {
			ec.Add("aws:RequestTag/AMQManaged", eval.String("true"))
			ec.Add("aws:TagKeys", eval.String("AMQManaged"))
			ec.Add("ec2:CreateAction", eval.String("CreateVpcEndpoint"))
		}
		out = append(out, serviceAction{action: "ec2:CreateVpcEndpoint", resource: ec2("vpc-endpoint/*"), keys: tagged},
			serviceAction{action: "ec2:CreateTags", resource: ec2("vpc-endpoint/*"), keys: tagged})
	}
	if isTrue(b.Logs.General) {
		group := arn.Service("logs", b.Region, b.Account, "log-group:"+b.logGroup("general")).String()
		for _, a := range []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"} {
			out = append(out, serviceAction{action: a, resource: group})
		}
	}
	return out
}

// actAsRole has the service take b's actions as its role; the first one
// the role's policies do not allow fails the broker.
func (s *Service) actAsRole(ctx context.Context, c *Caller, role store.Role, b *broker) {
	if s.az == nil {
		return
	}
	p := authz.ServiceRole(c.account(), ServicePrincipal, role.ID, role.Name)
	info := authz.RequestInfo{Time: c.Info.Time, Region: b.Region}
	for _, a := range serviceActions(b) {
		err := s.az.Authorize(ctx, &p, &authz.Request{Action: a.action, Resource: a.resource, Info: info, Keys: a.keys})
		if err != nil {
			b.FailedCode = "SERVICE_LINKED_ROLE_PERMISSIONS"
			b.Failed = "Amazon MQ could not create the broker's resources through the service-linked role " + role.Name + ": " + err.Error()
			s.log.Info("broker creation failed", "broker", b.ID, "action", a.action, "err", err)
			return
		}
	}
}

// RoleInUse reports the brokers of account that still need the
// service-linked role, by region: DeleteServiceLinkedRole fails while any
// exists ("Deleting a service-linked role": delete the brokers first).
// cmd/iamq installs it with iam.Service.SetRoleInUse.
func (s *Service) RoleInUse(ctx context.Context, account string, _ store.Role) ([]store.RoleUsage, error) {
	now := s.now().UTC()
	var usage []store.RoleUsage
	err := s.st.View(ctx, account, func(tx store.Tx) error {
		o := store.MQListOptions{Kind: store.MQBroker, Now: now, MaxItems: store.MaxMaxItems}
		for {
			p, err := tx.MQRecords(o)
			if err != nil {
				return err
			}
			for _, r := range p.Items {
				if n := len(usage); n == 0 || usage[n-1].Region != r.Region {
					usage = append(usage, store.RoleUsage{Region: r.Region})
				}
				usage[len(usage)-1].Resources = append(usage[len(usage)-1].Resources, arn.MQBroker(r.Region, account, r.Name, r.ID).String())
			}
			if p.Marker == "" {
				return nil
			}
			o.Marker = p.Marker
		}
	})
	return usage, err
}

// errNoRole: the account has no Amazon MQ service-linked role yet.
var errNoRole = errors.New("mq: no service-linked role")

// hasRole checks, within a write, that the account has the service-linked
// role (errNoRole when not), so that a broker is never stored without it.
func hasRole(tx store.Tx) error {
	slr, ok := iam.ServiceLinkedRoleFor(ServicePrincipal)
	if !ok {
		return errors.New("mq: no service-linked role for " + ServicePrincipal)
	}
	_, err := tx.Role(slr.RoleName)
	if errors.Is(err, store.ErrNotFound) {
		return errNoRole
	}
	return err
}
