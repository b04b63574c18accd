#!/usr/bin/env bash
# End to end: enforcement with the AWS CLI against 'iamq serve --dev'. A user
# with an access key is denied 'iam list-users', allowed once a policy is
# attached, assumes a role whose session acts with the role's permissions
# (bad session tags and policy ARNs refused), cannot call IAM with
# GetSessionToken's credentials (no MFA), and is refused once the key is made inactive (dev mode does not take the
# inactive key for a root).
. "$(dirname "$0")/lib.bash" enforce
start "$work/run" --dev

# Every caller is a profile of one credentials file, which the CLI reads
# afresh on each call; dev mode's 'test' key is the root.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE="$work/credentials" AWS_DEFAULT_REGION=us-east-1
printf '[root]\naws_access_key_id = test\naws_secret_access_key = test\n' >"$AWS_SHARED_CREDENTIALS_FILE"
profile() { printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n%s' "$1" "$2" "$3" "${4:+aws_session_token = $4
}" >>"$AWS_SHARED_CREDENTIALS_FILE"; }

# The aws command lines run in one Python process (awscli_batch.py).
use_aws_batch
# as PROFILE ARGS…: an aws call as PROFILE, JSON output.
as() {
	local p=$1
	shift
	aws --endpoint-url "$endpoint" --profile "$p" --output json "$@"
}
# refused CODE PROFILE ARGS…: the call must fail with the error code CODE.
refused() {
	local code=$1 out
	shift
	if out=$(as "$@" 2>&1); then fail "$* succeeded, want $code"; fi
	echo "$out" | grep -q "($code)" || fail "$* gave: $out (want $code)"
	echo "  refused as expected: $code"
}
field() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"; }

as root iam create-user --user-name alice >/dev/null || fail create-user
key=$(as root iam create-access-key --user-name alice) || fail create-access-key
key_id=$(echo "$key" | field AccessKey.AccessKeyId)
profile alice "$key_id" "$(echo "$key" | field AccessKey.SecretAccessKey)"

echo "== a new user is denied"
refused AccessDenied alice iam list-users
out=$(as alice iam list-users 2>&1 || true)
echo "$out" | grep -q "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListUsers" || fail "denial text: $out"

echo "== allowed after attach-user-policy"
doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","sts:AssumeRole"],"Resource":"*"}]}'
arn=$(as root iam create-policy --policy-name lister --policy-document "$doc" | field Policy.Arn) || fail create-policy
as root iam attach-user-policy --user-name alice --policy-arn "$arn" || fail attach-user-policy
as alice iam list-users >/dev/null || fail "list-users after attach-user-policy"
as root iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice \
	--action-names iam:ListUsers iam:CreateUser --query 'EvaluationResults[].EvalDecision' --output text | grep -qx $'allowed\timplicitDeny' ||
	fail "simulate-principal-policy disagrees with the calls"

echo "== assume a role"
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}'
as root iam create-role --role-name deployer --assume-role-policy-document "$trust" >/dev/null || fail create-role
as root iam put-role-policy --role-name deployer --policy-name roles \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}' || fail put-role-policy
creds=$(as alice sts assume-role --role-arn arn:aws:iam::123456789012:role/deployer --role-session-name e2e) || fail assume-role
profile session "$(echo "$creds" | field Credentials.AccessKeyId)" "$(echo "$creds" | field Credentials.SecretAccessKey)" \
	"$(echo "$creds" | field Credentials.SessionToken)"
who=$(as session sts get-caller-identity | field Arn) || fail "get-caller-identity as the session"
[ "$who" = "arn:aws:sts::123456789012:assumed-role/deployer/e2e" ] || fail "the session is $who"
as session iam list-roles >/dev/null || fail "list-roles as the role session"
refused AccessDenied session iam list-users

echo "== AssumeRole's parameters (issue 14)"
refused ValidationError alice sts assume-role --role-arn arn:aws:iam::123456789012:role/deployer --role-session-name e2e \
	--tags 'Key=team,Value=*'
refused InvalidParameterValue alice sts assume-role --role-arn arn:aws:iam::123456789012:role/deployer --role-session-name e2e \
	--tags Key=aws:team,Value=a
refused InvalidParameterValue alice sts assume-role --role-arn arn:aws:iam::123456789012:role/deployer --role-session-name e2e \
	--policy-arns arn=arn:aws:iam::123456789012:policy/nope
refused InvalidInput root iam tag-user --user-name alice --tags Key=aws:team,Value=a

echo "== GetSessionToken's credentials, without MFA, cannot call IAM"
creds=$(as alice sts get-session-token --duration-seconds 900) || fail get-session-token
profile usersession "$(echo "$creds" | field Credentials.AccessKeyId)" "$(echo "$creds" | field Credentials.SecretAccessKey)" \
	"$(echo "$creds" | field Credentials.SessionToken)"
who=$(as usersession sts get-caller-identity | field Arn) || fail "get-caller-identity as the user's session"
[ "$who" = "arn:aws:iam::123456789012:user/alice" ] || fail "the user's session is $who"
refused InvalidClientTokenId usersession iam list-users
as usersession sts assume-role --role-arn arn:aws:iam::123456789012:role/deployer --role-session-name e2e >/dev/null ||
	fail "assume-role with the user's session"

echo "== an inactive key is refused, even in dev mode"
as root iam update-access-key --user-name alice --access-key-id "$key_id" --status Inactive || fail update-access-key
refused InvalidClientTokenId alice iam list-users
echo "enforce.sh: ok"
