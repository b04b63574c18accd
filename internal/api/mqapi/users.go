package mqapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// userOps are the broker user operations; they act on the broker.
func userOps() []operation {
	return []operation{
		{name: "CreateUser", pattern: "POST /v1/brokers/{brokerId}/users/{username}", run: createUser, target: brokerTarget},
		{name: "DescribeUser", pattern: "GET /v1/brokers/{brokerId}/users/{username}", run: describeUser, target: brokerTarget},
		{name: "ListUsers", pattern: "GET /v1/brokers/{brokerId}/users", run: listUsers, target: brokerTarget},
		{name: "UpdateUser", pattern: "PUT /v1/brokers/{brokerId}/users/{username}", run: updateUser, target: brokerTarget},
		{name: "DeleteUser", pattern: "DELETE /v1/brokers/{brokerId}/users/{username}", run: deleteUser, target: brokerTarget},
	}
}

// userInput reads a user's body; the name is the path's.
func userInput(c *server.Call) (*mq.UserInput, error) {
	var in mq.UserInput
	if err := decode(c, &in); err != nil {
		return nil, err
	}
	in.Username = c.HTTP.PathValue("username")
	return &in, nil
}

func createUser(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	in, err := userInput(c)
	if err == nil {
		err = a.mq.CreateUser(ctx, mc, c.HTTP.PathValue("brokerId"), in)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct{}{}, nil
}

func updateUser(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	in, err := userInput(c)
	if err == nil {
		err = a.mq.UpdateUser(ctx, mc, c.HTTP.PathValue("brokerId"), in)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct{}{}, nil
}

func deleteUser(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	if err := a.mq.DeleteUser(ctx, mc, c.HTTP.PathValue("brokerId"), c.HTTP.PathValue("username")); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct{}{}, nil
}

func describeUser(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	u, err := a.mq.DescribeUser(ctx, mc, c.HTTP.PathValue("brokerId"), c.HTTP.PathValue("username"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, u, nil
}

// listUsersOutput is ListUsersResponse.
type listUsersOutput struct {
	BrokerID   string           `json:"brokerId"`
	MaxResults int              `json:"maxResults"`
	NextToken  string           `json:"nextToken,omitempty"`
	Users      []mq.UserSummary `json:"users"`
}

func listUsers(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	n, token, err := pageQuery(c)
	if err != nil {
		return 0, nil, err
	}
	id := c.HTTP.PathValue("brokerId")
	p, err := a.mq.ListUsers(ctx, mc, id, n, token)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, listUsersOutput{BrokerID: id, MaxResults: orDefault(n), NextToken: p.NextToken, Users: p.Items}, nil
}

// orDefault is the page size a list used.
func orDefault(n int) int {
	if n == 0 {
		return mq.DefaultMaxResults
	}
	return n
}
