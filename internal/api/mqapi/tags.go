package mqapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// tagOps are the tag operations, on the broker or configuration an ARN
// names.
func tagOps() []operation {
	return []operation{
		{name: "CreateTags", pattern: "POST /v1/tags/{resourceArn}", run: createTags, target: createTagsTarget},
		{name: "DeleteTags", pattern: "DELETE /v1/tags/{resourceArn}", run: deleteTags, target: deleteTagsTarget},
		{name: "ListTags", pattern: "GET /v1/tags/{resourceArn}", run: listTags, target: tagTarget},
	}
}

// tagTarget authorizes a call on the stored resource the path's ARN
// names, or on the ARN as given when there is none.
func tagTarget(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context)) {
	given := c.HTTP.PathValue("resourceArn")
	if stored, tags, ok := a.mq.ResourceTags(ctx, c.Caller.Account, given); ok {
		return stored, resourceTags(tags)
	}
	return given, nil
}

func createTagsTarget(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context)) {
	res, keys := tagTarget(a, ctx, c)
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if json.Unmarshal(c.Body, &in) != nil {
		return res, keys
	}
	return res, both(keys, requestTags(in.Tags))
}

func deleteTagsTarget(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context)) {
	res, keys := tagTarget(a, ctx, c)
	tagKeys := c.HTTP.URL.Query()["tagKeys"]
	return res, both(keys, func(ec *eval.Context) {
		vals := make([]eval.Value, 0, len(tagKeys))
		for _, k := range tagKeys {
			vals = append(vals, eval.String(k))
		}
		ec.Add("aws:TagKeys", vals...)
	})
}

func createTags(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := decode(c, &in); err != nil {
		return 0, nil, err
	}
	if err := a.mq.CreateTags(ctx, mc, c.HTTP.PathValue("resourceArn"), in.Tags); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func deleteTags(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	if err := a.mq.DeleteTags(ctx, mc, c.HTTP.PathValue("resourceArn"), c.HTTP.URL.Query()["tagKeys"]); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func listTags(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error) {
	tags, err := a.mq.ListTags(ctx, mc, c.HTTP.PathValue("resourceArn"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]map[string]string{"tags": tags}, nil
}
