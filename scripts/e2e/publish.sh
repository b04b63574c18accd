#!/usr/bin/env bash
# End to end (issue 17): a service launches operations, with the unchanged
# AWS CLI against 'iamq serve --dev'. ViewOnlyAccess is attached to a user;
# 'iamq admin catalog apply' of a catalog in which mq adds ListBrokerWidgets
# (List) and DeleteBrokerWidget (Write) publishes ViewOnlyAccess v46 with the
# first only; simulate-principal-policy flips for it on the very next
# request, without re-attaching, and not for the second; the change history
# has the entry; applying the file again adds nothing; after a restart the
# catalog (kept in the store) still holds the new actions, so Access
# Analyzer's validate-policy no longer calls them invalid. Then an Amazon MQ
# policy update that drops an action is refused with the counterexample and
# changes nothing, and goes through with --allow-removal, marked breaking.
. "$(dirname "$0")/lib.bash" publish
start "$work/run" --dev
data="$work/run/iamq-data"
admin() { "$work/iamq" admin "$1" "$2" --data-dir "$data" "${@:3}"; }

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
use_aws_batch
user=arn:aws:iam::123456789012:user/viewer
vo=arn:aws:iam::aws:policy/job-function/ViewOnlyAccess
decisions() { a simulate-principal-policy --policy-source-arn "$user" --action-names mq:ListBrokerWidgets mq:DeleteBrokerWidget \
	--query 'EvaluationResults[].EvalDecision' --output text; }

lint0() { aws --endpoint-url "$endpoint" --output text accessanalyzer validate-policy --policy-type IDENTITY_POLICY \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:ListBrokerWidgets","Resource":"*"}]}' \
	--query 'findings[].issueCode'; }
[ "$(lint0)" = INVALID_ACTION ] || fail "validate-policy before the catalog update: $(lint0), want INVALID_ACTION"

echo "== ViewOnlyAccess attached to a user"
a create-user --user-name viewer >/dev/null || fail create-user
a attach-user-policy --user-name viewer --policy-arn "$vo" || fail attach-user-policy
[ "$(a get-policy --policy-arn "$vo" --query Policy.DefaultVersionId --output text)" = v45 ] || fail "ViewOnlyAccess is not at v45"
got=$(decisions) || fail simulate
[ "$got" = $'implicitDeny\timplicitDeny' ] || fail "before the catalog update: $got"

echo "== the catalog adds mq:ListBrokerWidgets (List) and mq:DeleteBrokerWidget (Write)"
out=$(admin catalog apply "$root/internal/managed/testdata/mq-widgets.json") || fail "catalog apply: $out"
echo "$out"
echo "$out" | grep -q "published ViewOnlyAccess v46 (follows v45), adding mq:ListBrokerWidgets$" || fail "catalog apply said: $out"
got=$(decisions) || fail simulate
[ "$got" = $'allowed\timplicitDeny' ] || fail "the very next request after the update: $got, want allowed then implicitDeny"
[ "$(a get-policy --policy-arn "$vo" --query Policy.DefaultVersionId --output text)" = v46 ] || fail "ViewOnlyAccess default is not v46"
# Whole outputs are read before grep -q looks: grep quitting at the first
# match would cut the writer's pipe, which pipefail reports as a failure.
doc=$(a get-policy-version --policy-arn "$vo" --version-id v46 --query PolicyVersion.Document --output json)
grep -q ListBrokerWidgets <<<"$doc" || fail "v46 lacks mq:ListBrokerWidgets"

echo "== the change history has the entry"
hist=$("$work/iamq" history --data-dir "$data" --policy ViewOnlyAccess 2>&1) || fail "history: $hist"
echo "$hist" | sed -n 2p
echo "$hist" | sed -n 2p | grep -q "ViewOnlyAccess  v46 .*Added permissions .*mq:ListBrokerWidgets" || fail "history's newest entry is not v46: $hist"
feed=$(curl -fsS "$endpoint/managed-policies/policies/ViewOnlyAccess/feed.json")
grep -q 'ViewOnlyAccess v46' <<<"$feed" || fail "the policy's JSON feed lacks v46"

echo "== applying the file again adds nothing"
out=$(admin catalog apply "$root/internal/managed/testdata/mq-widgets.json") || fail "catalog apply again: $out"
echo "$out" | grep -q "nothing new" || fail "catalog apply again said: $out"
[ "$(a get-policy --policy-arn "$vo" --query Policy.DefaultVersionId --output text)" = v46 ] || fail "a second apply changed ViewOnlyAccess"

echo "== after a restart, Access Analyzer's lint knows the new actions (the catalog is kept in the store)"
widgets='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:ListBrokerWidgets","Resource":"*"}]}'
lint() { aws --endpoint-url "$endpoint" --output text accessanalyzer validate-policy --policy-type IDENTITY_POLICY \
	--policy-document "$widgets" --query 'findings[].issueCode'; }
stop
start "$work/run" --dev
[ -z "$(lint)" ] || fail "validate-policy after the restart: $(lint)"
[ "$(a get-policy --policy-arn "$vo" --query Policy.DefaultVersionId --output text)" = v46 ] || fail "ViewOnlyAccess after the restart"

echo "== an Amazon MQ policy update that drops an action is refused, then published knowingly"
ro=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess
printf '%s' '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"*"}]}' >"$work/less.json"
if out=$(admin managed publish --policy AmazonMQReadOnlyAccess --document "$work/less.json" --description "EC2 reads dropped" 2>&1); then
	fail "a removal was published: $out"
fi
echo "$out" | grep -q "allows ec2:DescribeNetworkInterfaces on \*" || fail "the refusal shows no counterexample: $out"
echo "  refused: ${out:0:160}…"
[ "$(a get-policy --policy-arn "$ro" --query Policy.DefaultVersionId --output text)" = v2 ] || fail "a refused publish changed the default"
out=$(admin managed publish --policy AmazonMQReadOnlyAccess --document "$work/less.json" --description "EC2 reads dropped" \
	--allow-removal --reason "e2e: the network reads moved to another policy") || fail "publish --allow-removal: $out"
echo "$out" | grep -q "published AmazonMQReadOnlyAccess v3 .*Breaking change" || fail "publish --allow-removal said: $out"
[ "$(a get-policy --policy-arn "$ro" --query Policy.DefaultVersionId --output text)" = v3 ] || fail "the default is not v3"
echo "PASS"
