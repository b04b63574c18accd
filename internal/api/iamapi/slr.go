package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// This file holds the IAM operations on service-linked roles
// (CreateServiceLinkedRole, DeleteServiceLinkedRole,
// GetServiceLinkedRoleDeletionStatus); shapes follow the IAM model of
// botocore. Editing such a role's description goes through UpdateRole and
// UpdateRoleDescription; everything else about it is refused by package iam.

func slrOps() []operation {
	return []operation{
		{"CreateServiceLinkedRole", (*api).createServiceLinkedRole, slrResource},
		{"DeleteServiceLinkedRole", (*api).deleteServiceLinkedRole, entityResource(iam.KindRole, "RoleName")},
		{"GetServiceLinkedRoleDeletionStatus", (*api).getServiceLinkedRoleDeletionStatus, deletionTaskResource},
	}
}

// slrResource is CreateServiceLinkedRole's resource: the ARN of the role it
// would create. The policy decides on the service with iam:AWSServiceName,
// which the enforcement adds from the same parameter.
func slrResource(_ context.Context, _ *api, c *server.Call) string {
	return iam.ServiceLinkedRoleARN(c.Caller.Account, c.Form.Get("AWSServiceName"))
}

// deletionTaskResource is the role a deletion task names ("*" when the id
// names none).
func deletionTaskResource(_ context.Context, _ *api, c *server.Call) string {
	if arn := iam.DeletionTaskRole(c.Caller.Account, c.Form.Get("DeletionTaskId")); arn != "" {
		return arn
	}
	return "*"
}

func (a *api) createServiceLinkedRole(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.CreateServiceLinkedRoleInput{AWSServiceName: f.String("AWSServiceName"), Description: f.Get("Description"),
		CustomSuffix: f.Get("CustomSuffix")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	r, err := a.iam.CreateServiceLinkedRole(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return roleResult{roleXML(c.Caller.Account, r, roleMade)}, nil
}

type deletionTaskResult struct{ DeletionTaskId string }

func (a *api) deleteServiceLinkedRole(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	id, err := a.iam.DeleteServiceLinkedRole(ctx, c.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	return deletionTaskResult{id}, nil
}

// xmlRoleUsage is the model's RoleUsageType.
type xmlRoleUsage struct {
	Region    string
	Resources members[string]
}

// xmlFailureReason is the model's DeletionTaskFailureReasonType.
type xmlFailureReason struct {
	Reason        string `xml:",omitempty"`
	RoleUsageList members[xmlRoleUsage]
}

type deletionStatusResult struct {
	Status string
	Reason *xmlFailureReason `xml:",omitempty"`
}

func (a *api) getServiceLinkedRoleDeletionStatus(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("DeletionTaskId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	t, err := a.iam.GetServiceLinkedRoleDeletionStatus(ctx, c.Caller.Account, id)
	if err != nil {
		return nil, err
	}
	out := deletionStatusResult{Status: string(t.Status)}
	if t.Reason != "" || len(t.Usage) > 0 {
		out.Reason = &xmlFailureReason{Reason: t.Reason, RoleUsageList: list(make([]xmlRoleUsage, 0, len(t.Usage)))}
		for _, u := range t.Usage {
			out.Reason.RoleUsageList.Member = append(out.Reason.RoleUsageList.Member,
				xmlRoleUsage{Region: u.Region, Resources: list(u.Resources)})
		}
	}
	return out, nil
}
