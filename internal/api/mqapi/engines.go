package mqapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// engineOps are the two read-only tables.
func engineOps() []operation {
	return []operation{
		{name: "DescribeBrokerEngineTypes", pattern: "GET /v1/broker-engine-types", run: engineTypes},
		{name: "DescribeBrokerInstanceOptions", pattern: "GET /v1/broker-instance-options", run: instanceOptions},
	}
}

// engineTypesOutput is DescribeBrokerEngineTypesResponse.
type engineTypesOutput struct {
	BrokerEngineTypes []mq.EngineTypeInfo `json:"brokerEngineTypes"`
	MaxResults        int                 `json:"maxResults"`
	NextToken         string              `json:"nextToken,omitempty"`
}

func engineTypes(a *api, _ context.Context, c *server.Call, _ *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.mq.BrokerEngineTypes(c.HTTP.URL.Query().Get("engineType"), n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, engineTypesOutput{BrokerEngineTypes: p.Items, MaxResults: orDefault(n), NextToken: p.NextToken}, nil
}

// instanceOptionsOutput is DescribeBrokerInstanceOptionsResponse.
type instanceOptionsOutput struct {
	BrokerInstanceOptions []mq.InstanceOption `json:"brokerInstanceOptions"`
	MaxResults            int                 `json:"maxResults"`
	NextToken             string              `json:"nextToken,omitempty"`
}

func instanceOptions(a *api, _ context.Context, c *server.Call, _ *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	q := c.HTTP.URL.Query()
	p, err := a.mq.BrokerInstanceOptions(c.Region, q.Get("engineType"), q.Get("hostInstanceType"), q.Get("storageType"), n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, instanceOptionsOutput{BrokerInstanceOptions: p.Items, MaxResults: orDefault(n), NextToken: p.NextToken}, nil
}
