// Package arn is the one place that may build ARNs.
package arn

func Root(account string) string { return "arn:aws:iam::" + account + ":root" }
