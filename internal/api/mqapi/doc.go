// Package mqapi is Amazon MQ's wire: the REST-JSON operations of the mq
// service (API version 2017-11-27) at their routes, their authorization
// targets (the action, the stored broker's or configuration's ARN, and the
// tag condition keys), and the map from package mq's refusals to Amazon
// MQ's error shapes (x-amzn-ErrorType and {"errorAttribute", "message"}).
// Shapes and routes follow the mq service model that ships with botocore
// and aws-sdk-go-v2 (../shared/data/amazon-mq-api.md).
package mqapi
