#!/usr/bin/env bash
# End to end: the IAM policy life cycle (customer managed policies and their
# versions, AWS managed policies, attachments, inline policies, permissions
# boundaries) against 'iamq serve --dev', driven by three independent
# serializers: the AWS CLI, boto3 and the AWS SDK for JavaScript v3. Each
# leaves the account empty.
. "$(dirname "$0")/lib.bash" policies
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

# Start iamq serve --dev in an empty directory on a free port; wait for its banner.
start "$work/run" --dev

doc() { printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"%s","Resource":"*"}]}' "$1"; }

echo "== aws CLI"
acct=123456789012
pol="arn:aws:iam::$acct:policy/cli/cli-policy"
mqfull=arn:aws:iam::aws:policy/AmazonMQFullAccess
mqro=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess
mqslr=arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'

# A customer managed policy with five versions; the sixth is refused. (The
# CLI part is kept short: each aws command costs a second of Python start-up.
# The Go SDK tests cover every operation and error; boto3 and JS below cover
# the rest of the life cycle.)
[ "$(q Policy.Arn create-policy --policy-name cli-policy --path /cli/ --policy-document "$(doc 'mq:Describe*')")" = "$pol" ] || fail create-policy
refused MalformedPolicyDocument create-policy --policy-name bad --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:List*"}]}'
for i in 2 3 4 5; do
	[ "$(q PolicyVersion.VersionId create-policy-version --policy-arn "$pol" --policy-document "$(doc "mq:List$i")" --set-as-default)" = "v$i" ] || fail "create-policy-version v$i"
done
refused LimitExceeded create-policy-version --policy-arn "$pol" --policy-document "$(doc 'mq:List6')"
# The CLI decodes the URL-encoded document into JSON.
[ "$(q 'PolicyVersion.Document.Statement[0].Action' get-policy-version --policy-arn "$pol" --version-id v3)" = mq:List3 ] || fail get-policy-version
[ "$(q 'length(Versions)' list-policy-versions --policy-arn "$pol")" = 5 ] || fail list-policy-versions
refused DeleteConflict delete-policy-version --policy-arn "$pol" --version-id v5

# The AWS managed policies: every account sees them, nobody changes them.
[ "$(q 'length(Policies)' list-policies --scope All --page-size 1000)" = 1595 ] || fail "list-policies across pages"
[ "$(q 'PolicyVersion.CreateDate' get-policy-version --policy-arn $mqfull --version-id v1 | cut -c1-10)" = 2017-11-28 ] || fail "AmazonMQFullAccess v1"
refused AccessDenied create-policy-version --policy-arn $mqfull --policy-document "$(doc 's3:*')" --set-as-default

# Attachments, an inline policy and a boundary.
a create-user --user-name cli-user >/dev/null
a create-role --role-name cli-role --assume-role-policy-document "$trust" >/dev/null
a attach-user-policy --user-name cli-user --policy-arn "$pol" >/dev/null
a attach-role-policy --role-name cli-role --policy-arn $mqfull >/dev/null
refused PolicyNotAttachable attach-role-policy --role-name cli-role --policy-arn $mqslr
refused NoSuchEntity attach-user-policy --user-name cli-user --policy-arn arn:aws:iam::aws:policy/NoSuchPolicy
[ "$(q 'AttachedPolicies[0].PolicyArn' list-attached-user-policies --user-name cli-user)" = "$pol" ] || fail list-attached-user-policies
[ "$(q 'PolicyUsers[0].UserName' list-entities-for-policy --policy-arn "$pol")" = cli-user ] || fail list-entities-for-policy
refused DeleteConflict delete-policy --policy-arn "$pol"
a put-role-policy --role-name cli-role --policy-name inline-r --policy-document "$(doc 'mq:List*')" >/dev/null
[ "$(q 'PolicyDocument.Statement[0].Action' get-role-policy --role-name cli-role --policy-name inline-r)" = 'mq:List*' ] || fail get-role-policy
a put-user-permissions-boundary --user-name cli-user --permissions-boundary $mqro >/dev/null
[ "$(q User.PermissionsBoundary.PermissionsBoundaryArn get-user --user-name cli-user)" = "$mqro" ] || fail put-user-permissions-boundary

# Tear it all down: the account ends empty.
a delete-user-permissions-boundary --user-name cli-user >/dev/null
a delete-role-policy --role-name cli-role --policy-name inline-r >/dev/null
a detach-user-policy --user-name cli-user --policy-arn "$pol" >/dev/null
a detach-role-policy --role-name cli-role --policy-arn $mqfull >/dev/null
for v in v1 v2 v3 v4; do a delete-policy-version --policy-arn "$pol" --version-id $v >/dev/null; done
a delete-policy --policy-arn "$pol" >/dev/null
a delete-user --user-name cli-user >/dev/null
a delete-role --role-name cli-role >/dev/null
left=$(($(q 'length(Policies)' list-policies --scope Local) + $(q 'length(Users)' list-users) + $(q 'length(Roles)' list-roles)))
[ "$left" = 0 ] || fail "the account is not empty: $left entities left"
echo "aws CLI policies: ok"

echo "== boto3"
python3 "$here/iam_policies_boto3.py" "$endpoint" || fail boto3

echo "== JavaScript v3"
if [ ! -d "$here/js/node_modules" ]; then
	(cd "$here/js" && npm ci --no-audit --no-fund --silent) || fail "npm ci"
fi
NODE_NO_WARNINGS=1 node "$here/js/policies.mjs" "$endpoint" || fail "JavaScript v3"

kill -TERM "$pid"
wait "$pid" || fail "iamq serve exited with status $? on SIGTERM"
pid=
echo "iam-policies.sh: ok"
