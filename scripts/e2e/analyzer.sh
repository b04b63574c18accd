#!/usr/bin/env bash
# End to end: IAM Access Analyzer's policy checks through the AWS CLI (v1)
# against 'iamq serve --dev' — validate-policy, check-no-new-access,
# check-access-not-granted, check-no-public-access, their refusals and their
# enforcement — then, with boto3, the call sequence of AWS's
# cfn-policy-validator / tf-policy-validator checks, pointed at iamq with
# AWS_ENDPOINT_URL as those tools would be.
. "$(dirname "$0")/lib.bash" analyzer
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

start "$work/run" --dev
use_aws_batch
# aa ARGS…: an accessanalyzer call. The AWS CLI runs in one batch process;
# with direct=1 (and other credentials in the environment) it runs on its own.
aa() {
	if [ -n "${direct:-}" ]; then command aws --endpoint-url "$endpoint" --output json accessanalyzer "$@"; return; fi
	aws --endpoint-url "$endpoint" --output json accessanalyzer "$@"
}
# refused_aa CODE ARGS…: the accessanalyzer call must fail with CODE.
refused_aa() {
	local code=$1 err
	shift
	if err=$(aa "$@" 2>&1 >/dev/null); then fail "accessanalyzer $1 succeeded, want $code"; fi
	case $err in *"($code)"*) ;; *) fail "accessanalyzer $1: want $code, got: $err" ;; esac
}

cat >"$work/role.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Brokers", "Effect": "Allow", "Action": ["mq:Describe*", "mq:NoSuchAction"], "Resource": "*"},
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}
JSON
cat >"$work/reference.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["mq:Describe*", "mq:List*"], "Resource": "*"}]}
JSON
cat >"$work/bucket.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}
JSON

echo "== validate-policy"
codes=$(aa validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$work/role.json" \
	--query 'findings[].[findingType,issueCode]' --output text | tr '\t\n' ' ')
[ "$codes" = "ERROR INVALID_ACTION SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE " ] || fail "validate-policy findings: $codes"
line=$(aa validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$work/role.json" --query 'findings[1].locations[0].span.start.line')
[ "$line" = 5 ] || fail "PassRole finding on line $line, want 5"
# One finding a page: the CLI follows nextToken and still gets both.
n=$(aa validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$work/role.json" --page-size 1 --query 'length(findings)')
[ "$n" = 2 ] || fail "paged validate-policy: $n findings"

echo "== check-no-new-access"
result=$(aa check-no-new-access --policy-type IDENTITY_POLICY --existing-policy-document "file://$work/reference.json" \
	--new-policy-document "file://$work/role.json" --query '[result,join(`,`,reasons[].statementId)]' --output text | tr '\t' ' ')
# mq:NoSuchAction (an action no catalog knows) and iam:PassRole are new.
[ "$result" = "FAIL Brokers,Pass" ] || fail "check-no-new-access: $result"
result=$(aa check-no-new-access --policy-type IDENTITY_POLICY --existing-policy-document "file://$work/role.json" \
	--new-policy-document "file://$work/reference.json" --query result --output text)
# The reference lists mq:List*, the role policy does not: new access.
[ "$result" = FAIL ] || fail "check-no-new-access reversed: $result"

echo "== check-access-not-granted"
result=$(aa check-access-not-granted --policy-type IDENTITY_POLICY --policy-document "file://$work/role.json" \
	--access actions=iam:PassRole --query result --output text)
[ "$result" = FAIL ] || fail "check-access-not-granted PassRole: $result"
result=$(aa check-access-not-granted --policy-type IDENTITY_POLICY --policy-document "file://$work/reference.json" \
	--access actions=mq:DeleteBroker,mq:CreateBroker --query result --output text)
[ "$result" = PASS ] || fail "check-access-not-granted mq writes: $result"

echo "== check-no-public-access"
result=$(aa check-no-public-access --resource-type AWS::S3::Bucket --policy-document "file://$work/bucket.json" --query result --output text)
[ "$result" = FAIL ] || fail "check-no-public-access: $result"
result=$(aa check-no-public-access --resource-type AWS::SQS::Queue --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"*"}]}' \
	--query result --output text)
[ "$result" = PASS ] || fail "check-no-public-access of one account's queue: $result"

echo "== refusals"
refused_aa ValidationException validate-policy --policy-type USER_POLICY --policy-document "file://$work/role.json"
refused_aa InvalidParameterException check-no-new-access --policy-type IDENTITY_POLICY \
	--existing-policy-document "file://$work/reference.json" --new-policy-document '{"Version":'
refused_aa ValidationException check-no-public-access --resource-type AWS::MQ::Broker --policy-document "file://$work/bucket.json"

echo "== enforced like every call"
aws --endpoint-url "$endpoint" iam create-user --user-name ci >/dev/null
read -r key secret < <(aws --endpoint-url "$endpoint" --output text --query 'AccessKey.[AccessKeyId,SecretAccessKey]' iam create-access-key --user-name ci)
direct=1 AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret refused_aa AccessDeniedException validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$work/reference.json"
aws --endpoint-url "$endpoint" iam put-user-policy --user-name ci --policy-name checks --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["access-analyzer:ValidatePolicy","access-analyzer:Check*","iam:GetPolicy","iam:GetPolicyVersion"],"Resource":"*"}]}'
sleep 0.2

echo "== boto3: the CI tools' call sequence, as user ci, through AWS_ENDPOINT_URL"
AWS_ENDPOINT_URL=$endpoint AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret python3 "$here/analyzer_boto3.py" || fail boto3
stop
echo "OK"
