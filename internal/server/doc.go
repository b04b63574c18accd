// Package server is iamq's HTTP core: it reads requests, authenticates them
// (SigV4, through the credential lookup internal/authz provides), dispatches
// them by protocol (Query/XML at "/", REST-JSON by path), enforces each
// operation's target with the authorizer, writes each protocol's error
// envelope, and gives every call a request id and its metrics. It names no
// service: each service's wire package (internal/api/iamapi, stsapi, …)
// plugs in through its public registration API.
//
// Entry points: [New] builds a [Server] (an http.Handler) from [Options]. A
// wire package adds its Query service with [Server.AddQueryService] (name,
// API version, XML namespace, regions, an Admit check), registers each
// operation with [Server.Register] (name, handler, and its [Target]: the
// action, resource and condition keys it is authorized for) and its error
// codes with [Server.Errors]. After every write, for every protocol alike,
// the server syncs the process's caches (Options.Sync) before the next
// request is decided.
//
// A Query operation reads its input through [Form] (typed getters that collect
// ValidationErrors) and returns a struct that encoding/xml marshals as
// <ActionResult>, or an [XMLAppender]. Errors go through the service's own
// table, then the rows every service shares (sigv4's codes, authz's
// AccessDenied), or are an [*APIError]; anything else is a ServiceFailure
// whose detail is logged, never returned.
//
// In dev mode ([Options.Dev]) an access key iamq did not issue is the root
// of an account without a signature check.
//
// It may import internal/httpserve, internal/sigv4, internal/authz,
// internal/audit, eval and arn, and its own internal/server/metrics and
// internal/server/requestid.
package server
