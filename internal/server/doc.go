// Package server is iamq's HTTP endpoint: protocol decoding (Query/XML for IAM
// and STS, REST-JSON for Amazon MQ), SigV4 authentication, dispatch, the one
// table from domain errors to AWS error codes, metrics.
//
// Entry points: [New] builds a [Server] (an http.Handler) from [Options];
// [Server.Watch] keeps its credential cache in step with the store's changes.
// A service's wire package registers its operations with [Server.Register]
// (name, handler, [Target]: what the call is authorized for) and its error
// codes with [Server.Errors]; internal/api/iamapi is one.
//
// A Query operation reads its input through [Form] (typed getters that collect
// ValidationErrors) and returns a struct that encoding/xml marshals as
// <ActionResult>, or an [XMLAppender]. Errors go through the rows every service
// shares (sigv4's codes, authz's AccessDenied), then the service's own
// table, or are an [*APIError]; anything else is a ServiceFailure whose
// detail is logged, never returned.
//
// Query requests to "/" are dispatched by the credential scope's service (iam
// or sts), as AWS's SDKs sign them. In dev mode ([Options.Dev]) an access key
// iamq did not issue is the root of an account without a signature check.
//
// It may import internal/sigv4, internal/authz, internal/iam, internal/sts,
// internal/mq and internal/web (and what they may import).
package server
