package mqapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// brokerOps are the broker operations.
func brokerOps() []operation {
	return []operation{
		{name: "CreateBroker", pattern: "POST /v1/brokers", run: createBroker, target: createBrokerTarget},
		{name: "DescribeBroker", pattern: "GET /v1/brokers/{brokerId}", run: describeBroker, target: brokerTarget},
		{name: "ListBrokers", pattern: "GET /v1/brokers", run: listBrokers},
		{name: "UpdateBroker", pattern: "PUT /v1/brokers/{brokerId}", run: updateBroker, target: brokerTarget},
		{name: "DeleteBroker", pattern: "DELETE /v1/brokers/{brokerId}", run: deleteBroker, target: brokerTarget},
		{name: "RebootBroker", pattern: "POST /v1/brokers/{brokerId}/reboot", run: rebootBroker, target: brokerTarget},
		{name: "Promote", pattern: "POST /v1/brokers/{brokerId}/promote", run: promote, target: brokerTarget},
	}
}

// createBrokerTarget is CreateBroker on "*" with the request's tags.
func createBrokerTarget(_ *api, _ context.Context, c *server.Call) (string, func(*eval.Context)) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if json.Unmarshal(c.Body, &in) != nil {
		return "*", nil // the operation refuses the body
	}
	return "*", requestTags(in.Tags)
}

func createBroker(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in mq.CreateBrokerInput
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	brokerARN, id, err := a.mq.CreateBroker(ctx, mc, &in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"brokerArn": brokerARN, "brokerId": id}, nil
}

func describeBroker(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	b, err := a.mq.DescribeBroker(ctx, mc, c.HTTP.PathValue("brokerId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, b, nil
}

// listBrokersOutput is ListBrokersResponse.
type listBrokersOutput struct {
	BrokerSummaries []mq.BrokerSummary `json:"brokerSummaries"`
	NextToken       string             `json:"nextToken,omitempty"`
}

func listBrokers(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.mq.ListBrokers(ctx, mc, n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, listBrokersOutput{BrokerSummaries: p.Items, NextToken: p.NextToken}, nil
}

// updateBrokerOutput is UpdateBrokerResponse: the broker's id and what the
// request set.
type updateBrokerOutput struct {
	AuthenticationStrategy     mq.AuthenticationStrategy `json:"authenticationStrategy,omitempty"`
	AutoMinorVersionUpgrade    *bool                     `json:"autoMinorVersionUpgrade,omitempty"`
	BrokerID                   string                    `json:"brokerId"`
	Configuration              *mq.ConfigurationID       `json:"configuration,omitempty"`
	EngineVersion              string                    `json:"engineVersion,omitempty"`
	HostInstanceType           string                    `json:"hostInstanceType,omitempty"`
	LdapServerMetadata         *mq.LDAP                  `json:"ldapServerMetadata,omitempty"`
	Logs                       *mq.Logs                  `json:"logs,omitempty"`
	MaintenanceWindowStartTime *mq.WeeklyStartTime       `json:"maintenanceWindowStartTime,omitempty"`
	SecurityGroups             []string                  `json:"securityGroups,omitempty"`
	DataReplicationMode        string                    `json:"dataReplicationMode,omitempty"`
}

func updateBroker(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in mq.UpdateBrokerInput
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	b, err := a.mq.UpdateBroker(ctx, mc, c.HTTP.PathValue("brokerId"), &in)
	if err != nil {
		return 0, nil, err
	}
	out := updateBrokerOutput{AuthenticationStrategy: in.AuthenticationStrategy, AutoMinorVersionUpgrade: in.AutoMinorVersionUpgrade,
		BrokerID: b.BrokerID, Configuration: in.Configuration, EngineVersion: in.EngineVersion, HostInstanceType: in.HostInstanceType,
		Logs: in.Logs, MaintenanceWindowStartTime: in.MaintenanceWindowStartTime, SecurityGroups: in.SecurityGroups,
		DataReplicationMode: in.DataReplicationMode}
	if in.LdapServerMetadata != nil {
		l := *in.LdapServerMetadata
		l.ServiceAccountPassword = ""
		out.LdapServerMetadata = &l
	}
	return http.StatusOK, out, nil
}

func deleteBroker(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	id := c.HTTP.PathValue("brokerId")
	if err := a.mq.DeleteBroker(ctx, mc, id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"brokerId": id}, nil
}

func rebootBroker(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	if err := a.mq.RebootBroker(ctx, mc, c.HTTP.PathValue("brokerId")); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct{}{}, nil
}

func promote(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in struct {
		Mode string `json:"mode"`
	}
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	id := c.HTTP.PathValue("brokerId")
	if err := a.mq.Promote(ctx, mc, id, in.Mode); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"brokerId": id}, nil
}
