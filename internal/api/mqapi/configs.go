package mqapi

import (
	"context"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// configOps are the configuration operations.
func configOps() []operation {
	return []operation{
		{name: "CreateConfiguration", pattern: "POST /v1/configurations", run: createConfiguration, target: createBrokerTarget},
		{name: "DescribeConfiguration", pattern: "GET /v1/configurations/{configurationId}", run: describeConfiguration, target: configTarget},
		{name: "ListConfigurations", pattern: "GET /v1/configurations", run: listConfigurations},
		{name: "UpdateConfiguration", pattern: "PUT /v1/configurations/{configurationId}", run: updateConfiguration, target: configTarget},
		{name: "DeleteConfiguration", pattern: "DELETE /v1/configurations/{configurationId}", run: deleteConfiguration, target: configTarget},
		{name: "ListConfigurationRevisions", pattern: "GET /v1/configurations/{configurationId}/revisions", run: listRevisions, target: configTarget},
		{name: "DescribeConfigurationRevision", pattern: "GET /v1/configurations/{configurationId}/revisions/{configurationRevision}",
			run: describeRevision, target: configTarget},
	}
}

// createConfigurationOutput is CreateConfigurationResponse.
type createConfigurationOutput struct {
	Arn                    string                    `json:"arn"`
	AuthenticationStrategy mq.AuthenticationStrategy `json:"authenticationStrategy"`
	Created                time.Time                 `json:"created"`
	ID                     string                    `json:"id"`
	LatestRevision         mq.Revision               `json:"latestRevision"`
	Name                   string                    `json:"name"`
}

func createConfiguration(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in mq.CreateConfigurationInput
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	cfg, err := a.mq.CreateConfiguration(ctx, mc, &in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, createConfigurationOutput{Arn: cfg.Arn, AuthenticationStrategy: cfg.AuthenticationStrategy, Created: cfg.Created,
		ID: cfg.ID, LatestRevision: cfg.Latest, Name: cfg.Name}, nil
}

func describeConfiguration(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	cfg, err := a.mq.DescribeConfiguration(ctx, mc, c.HTTP.PathValue("configurationId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cfg, nil
}

// listConfigurationsOutput is ListConfigurationsResponse.
type listConfigurationsOutput struct {
	Configurations []mq.Configuration `json:"configurations"`
	MaxResults     int                `json:"maxResults"`
	NextToken      string             `json:"nextToken,omitempty"`
}

func listConfigurations(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.mq.ListConfigurations(ctx, mc, n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, listConfigurationsOutput{Configurations: p.Items, MaxResults: orDefault(n), NextToken: p.NextToken}, nil
}

// updateConfigurationOutput is UpdateConfigurationResponse (no warnings:
// iamq does not sanitize the data).
type updateConfigurationOutput struct {
	Arn            string      `json:"arn"`
	Created        time.Time   `json:"created"`
	ID             string      `json:"id"`
	LatestRevision mq.Revision `json:"latestRevision"`
	Name           string      `json:"name"`
	Warnings       []struct{}  `json:"warnings"`
}

func updateConfiguration(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in struct {
		Data        string `json:"data"`
		Description string `json:"description"`
	}
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	cfg, err := a.mq.UpdateConfiguration(ctx, mc, c.HTTP.PathValue("configurationId"), in.Data, in.Description)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, updateConfigurationOutput{Arn: cfg.Arn, Created: cfg.Created, ID: cfg.ID, LatestRevision: cfg.Latest,
		Name: cfg.Name, Warnings: []struct{}{}}, nil
}

func deleteConfiguration(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	id := c.HTTP.PathValue("configurationId")
	if err := a.mq.DeleteConfiguration(ctx, mc, id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"configurationId": id}, nil
}

// listRevisionsOutput is ListConfigurationRevisionsResponse.
type listRevisionsOutput struct {
	ConfigurationID string        `json:"configurationId"`
	MaxResults      int           `json:"maxResults"`
	NextToken       string        `json:"nextToken,omitempty"`
	Revisions       []mq.Revision `json:"revisions"`
}

func listRevisions(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	id := c.HTTP.PathValue("configurationId")
	p, err := a.mq.ListConfigurationRevisions(ctx, mc, id, n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, listRevisionsOutput{ConfigurationID: id, MaxResults: orDefault(n), NextToken: p.NextToken, Revisions: p.Items}, nil
}

// describeRevisionOutput is DescribeConfigurationRevisionResponse.
type describeRevisionOutput struct {
	ConfigurationID string    `json:"configurationId"`
	Created         time.Time `json:"created"`
	Data            string    `json:"data"`
	Description     string    `json:"description,omitempty"`
}

func describeRevision(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	id := c.HTTP.PathValue("configurationId")
	r, err := a.mq.DescribeConfigurationRevision(ctx, mc, id, c.HTTP.PathValue("configurationRevision"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, describeRevisionOutput{ConfigurationID: id, Created: r.Created, Data: r.Data, Description: r.Description}, nil
}
