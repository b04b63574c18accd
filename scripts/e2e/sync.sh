#!/usr/bin/env bash
# End to end (issue 27): staying current with AWS, with the unchanged AWS
# CLI against 'iamq serve --dev'. AmazonMQFullAccess is attached to a user;
# a dry run of 'iamq admin managed sync' of AWS's newer v6 (a file in the
# form of shared/data/managed-policies) changes nothing; the sync publishes
# v6 with AWS's id and date, and simulate-principal-policy flips for the
# action it adds on the very next request; a second sync changes nothing.
# Then the aws CLI's own get-account-authorization-details output of this
# server is a snapshot another store (still at v5) syncs from.
. "$(dirname "$0")/lib.bash" sync
start "$work/run" --dev
data="$work/run/iamq-data"
snap="$root/internal/managed/testdata/sync/mq-full-v6.json"
admin() { "$work/iamq" admin "$1" "$2" --data-dir "$data" "${@:3}"; }

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
use_aws_batch
user=arn:aws:iam::123456789012:user/broker-admin
full=arn:aws:iam::aws:policy/AmazonMQFullAccess
decision() { a simulate-principal-policy --policy-source-arn "$user" --action-names ec2:DescribeAvailabilityZones \
	--query 'EvaluationResults[0].EvalDecision' --output text; }
default() { a get-policy --policy-arn "$full" --query Policy.DefaultVersionId --output text; }

echo "== AmazonMQFullAccess v5 attached to a user"
a create-user --user-name broker-admin >/dev/null || fail create-user
a attach-user-policy --user-name broker-admin --policy-arn "$full" || fail attach-user-policy
[ "$(default)" = v5 ] || fail "AmazonMQFullAccess is not at v5"
[ "$(decision)" = implicitDeny ] || fail "before the sync: $(decision)"

echo "== a dry run reports and changes nothing"
out=$(admin managed sync --dry-run "$snap") || fail "sync --dry-run: $out"
echo "$out" | head -3
echo "$out" | grep -q "would sync AmazonMQFullAccess v6 (follows v5)" || fail "sync --dry-run said: $out"
[ "$(default)" = v5 ] || fail "a dry run changed the default"

echo "== the sync publishes AWS's v6 with AWS's date"
out=$(admin managed sync "$snap") || fail "sync: $out"
echo "$out" | grep -q "synced AmazonMQFullAccess v6 (follows v5): Added permissions" || fail "sync said: $out"
[ "$(default)" = v6 ] || fail "the default is $(default), not v6"
date=$(a get-policy-version --policy-arn "$full" --version-id v6 --query PolicyVersion.CreateDate --output text)
case "$date" in 2026-11-30T10:00:00*) ;; *) fail "v6 is dated $date, not AWS's 2026-11-30T10:00:00Z" ;; esac
[ "$(decision)" = allowed ] || fail "after the sync: $(decision)"
out=$(admin managed sync "$snap") || fail "sync again: $out"
echo "$out" | grep -q "0 policies changed at AWS, 1 unchanged" || fail "a second sync said: $out"

echo "== a policy new to iamq (a made-up AmazonMQBrokerViewer v2, the API's encoded form) is added"
out=$(admin managed sync "$root/internal/managed/testdata/sync/new-policy.api.json") || fail "sync of a new policy: $out"
echo "$out" | grep -q "synced AmazonMQBrokerViewer v2: a policy new here, added" || fail "sync of a new policy said: $out"
viewer=arn:aws:iam::aws:policy/AmazonMQBrokerViewer
[ "$(a get-policy --policy-arn "$viewer" --query Policy.DefaultVersionId --output text)" = v2 ] || fail "get-policy of the new policy"
a create-user --user-name viewer >/dev/null || fail create-user
a attach-user-policy --user-name viewer --policy-arn "$viewer" || fail "attach the new policy"
got=$(a simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/viewer --action-names mq:ListBrokers \
	--query 'EvaluationResults[0].EvalDecision' --output text)
[ "$got" = allowed ] || fail "mq:ListBrokers under the new policy: $got"

echo "== the aws CLI's get-account-authorization-details output is a snapshot another store syncs from"
aws --endpoint-url "$endpoint" --output json iam get-account-authorization-details --filter AWSManagedPolicy >"$work/aws.json" ||
	fail get-account-authorization-details
other="$work/other"
"$work/iamq" admin account create --data-dir "$other" --account-id 210987654321 >/dev/null || fail "account create"
out=$("$work/iamq" admin managed sync --data-dir "$other" "$work/aws.json") || fail "sync of the CLI's output: $out"
echo "$out" | head -2
echo "$out" | grep -q "synced AmazonMQFullAccess v6 (follows v5)" || fail "sync of the CLI's output said: $out"
echo "PASS"
