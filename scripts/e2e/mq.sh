#!/usr/bin/env bash
# End to end: the Amazon MQ control plane through the AWS CLI (v1, `aws mq
# …`) and boto3 against 'iamq serve --dev'. A user with
# AmazonMQReadOnlyAccess lists and describes but cannot create; one with
# AmazonMQFullAccess creates a broker, which gives the account the
# service-linked role with AmazonMQServiceRolePolicy; deleting the role
# fails until the broker is gone.
. "$(dirname "$0")/lib.bash" mq
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
# The users' keys go into profiles of this file, since the batched aws
# process keeps the environment it started with; default is dev mode's root.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE="$work/credentials" AWS_DEFAULT_REGION=us-east-1
printf '[default]\naws_access_key_id = test\naws_secret_access_key = test\n' >"$AWS_SHARED_CREDENTIALS_FILE"

# Each life-cycle step takes 4 s, long enough to see it on a loaded machine.
IAMQ_MQ_DELAY=4s start "$work/run" --dev
use_aws_batch

# m ARGS…: an Amazon MQ call as the current credentials, JSON output.
m() { aws --endpoint-url "$endpoint" --output json mq "$@"; }
# mq_q QUERY ARGS…: one value out of an Amazon MQ answer.
mq_q() {
	local query=$1
	shift
	aws --endpoint-url "$endpoint" --output json --query "$query" mq "$@" | sed -e 's/^"//' -e 's/"$//'
}
# mq_refused CODE ARGS…: the Amazon MQ call must fail with CODE.
mq_refused() {
	local code=$1 out
	shift
	if out=$(m "$@" 2>&1); then fail "mq $* succeeded, want $code"; fi
	echo "$out" | grep -q "($code)" || fail "mq $* gave: $out (want $code)"
	echo "  refused as expected: $code"
}
# as USER POLICY: a new user with the AWS managed policy, and a profile
# named after it holding its access key.
as() {
	local key secret
	a create-user --user-name "$1" >/dev/null
	a attach-user-policy --user-name "$1" --policy-arn "arn:aws:iam::aws:policy/$2"
	read -r key secret < <(aws --endpoint-url "$endpoint" --output text --query 'AccessKey.[AccessKeyId,SecretAccessKey]' iam create-access-key --user-name "$1")
	printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$1" "$key" "$secret" >>"$AWS_SHARED_CREDENTIALS_FILE"
}
# state ID: the broker's state, or NotFoundException.
state() {
	local out
	if out=$(mq_q BrokerState describe-broker --broker-id "$1" 2>&1); then echo "$out"; else
		echo "$out" | grep -q '(NotFoundException)' && echo NotFoundException || fail "describe-broker: $out"
	fi
}
# wait_for ID STATE: polls until the broker is in STATE.
wait_for() {
	local s=
	for _ in $(seq 1 150); do
		s=$(state "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.2
	done
	fail "broker $1 is $s, want $2"
}
# slr_delete: deletes the service-linked role and prints the task's status.
slr_delete() {
	local task status=
	task=$(q DeletionTaskId delete-service-linked-role --role-name AWSServiceRoleForAmazonMQ)
	for _ in $(seq 1 50); do
		status=$(q Status get-service-linked-role-deletion-status --deletion-task-id "$task")
		[ "$status" = IN_PROGRESS ] || [ "$status" = NOT_STARTED ] || break
		sleep 0.1
	done
	echo "$status"
}

as reader AmazonMQReadOnlyAccess
as admin AmazonMQFullAccess

echo "== AmazonMQReadOnlyAccess lists but cannot create"
[ "$(mq_q 'length(BrokerSummaries)' --profile reader list-brokers)" = 0 ] || fail "list-brokers"
broker_args=(create-broker --broker-name orders --deployment-mode SINGLE_INSTANCE --engine-type ACTIVEMQ
	--host-instance-type mq.t3.micro --no-publicly-accessible --users Username=admin,Password=correct-horse-1
	--tags team=blue)
mq_refused AccessDeniedException --profile reader "${broker_args[@]}"
refused NoSuchEntity get-role --role-name AWSServiceRoleForAmazonMQ

echo "== AmazonMQFullAccess creates; the account has the service-linked role"
id=$(mq_q BrokerId --profile admin "${broker_args[@]}")
case $id in b-*) ;; *) fail "broker id $id" ;; esac
[ "$(q 'AttachedPolicies[0].PolicyName' list-attached-role-policies --role-name AWSServiceRoleForAmazonMQ)" = AmazonMQServiceRolePolicy ] || fail "role policy"
[ "$(state "$id")" = CREATION_IN_PROGRESS ] || fail "a new broker is $(state "$id")"
wait_for "$id" RUNNING
[ "$(mq_q 'Tags.team' --profile reader describe-broker --broker-id "$id")" = blue ] || fail "tags"
mq_refused AccessDeniedException --profile reader delete-broker --broker-id "$id"
mq_refused ConflictException "${broker_args[@]}"
mq_refused BadRequestException create-broker --broker-name 'bad name' --deployment-mode SINGLE_INSTANCE --engine-type ACTIVEMQ \
	--host-instance-type mq.t3.micro --no-publicly-accessible --users Username=admin,Password=correct-horse-1
mq_refused NotFoundException describe-broker --broker-id b-nothing

echo "== deleting the role fails while the broker exists"
[ "$(slr_delete)" = FAILED ] || fail "role deletion with a broker"
a get-role --role-name AWSServiceRoleForAmazonMQ >/dev/null || fail "the role went"

echo "== users pending until a reboot"
m create-user --broker-id "$id" --username bob --password bobs-password-1 --console-access >/dev/null
[ "$(mq_q 'Pending.PendingChange' describe-user --broker-id "$id" --username bob)" = CREATE ] || fail "pending user"
m reboot-broker --broker-id "$id" >/dev/null
wait_for "$id" RUNNING
[ "$(mq_q 'Pending' describe-user --broker-id "$id" --username bob)" = null ] || fail "the reboot did not apply the user"

echo "== boto3: configurations, revisions, tags"
python3 - "$endpoint" "$id" <<'PY' || fail "boto3"
import base64, sys
import boto3
endpoint, broker = sys.argv[1], sys.argv[2]
mq = boto3.Session(profile_name="admin").client("mq", endpoint_url=endpoint, region_name="us-east-1")
c = mq.create_configuration(Name="orders-config", EngineType="ACTIVEMQ", EngineVersion="5.18")
data = base64.b64encode(b'<broker xmlns="http://activemq.apache.org/schema/core"/>').decode()
r = mq.update_configuration(ConfigurationId=c["Id"], Data=data, Description="second")
assert r["LatestRevision"]["Revision"] == 2, r
got = mq.describe_configuration_revision(ConfigurationId=c["Id"], ConfigurationRevision="2")
assert got["Data"] == data, got
revs = mq.list_configuration_revisions(ConfigurationId=c["Id"])["Revisions"]
assert [x["Revision"] for x in revs] == [1, 2], revs
mq.create_tags(ResourceArn=c["Arn"], Tags={"team": "blue"})
assert mq.list_tags(ResourceArn=c["Arn"])["Tags"] == {"team": "blue"}
try:
    mq.describe_configuration(ConfigurationId="c-nothing")
    raise SystemExit("describe_configuration of nothing succeeded")
except mq.exceptions.NotFoundException as e:
    assert e.response["Error"]["Code"] == "NotFoundException"
try:
    mq.create_user(BrokerId=broker, Username="eve", Password="short")
    raise SystemExit("a short password was accepted")
except mq.exceptions.BadRequestException as e:
    assert e.response["ErrorAttribute"] == "password", e.response
names = [b["BrokerName"] for b in mq.list_brokers()["BrokerSummaries"]]
assert names == ["orders"], names
assert mq.describe_broker_engine_types(EngineType="RABBITMQ")["BrokerEngineTypes"][0]["EngineVersions"]
print("  boto3 OK")
PY

echo "== the broker goes; then the role may go"
m --profile admin delete-broker --broker-id "$id" >/dev/null
[ "$(state "$id")" = DELETION_IN_PROGRESS ] || fail "a deleted broker is $(state "$id")"
wait_for "$id" NotFoundException
[ "$(slr_delete)" = SUCCEEDED ] || fail "role deletion without brokers"
refused NoSuchEntity get-role --role-name AWSServiceRoleForAmazonMQ
stop
echo "OK"
