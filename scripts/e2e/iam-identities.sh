#!/usr/bin/env bash
# End to end: the IAM identity life cycle (users, groups, roles, instance
# profiles, access keys, the account) against 'iamq serve --dev', driven by
# three independent serializers: the AWS CLI, boto3 and the AWS SDK for
# JavaScript v3. Each leaves the account empty. Then 'iamq admin export' and
# 'iamq admin import' carry an account into a new data directory.
. "$(dirname "$0")/lib.bash" identities
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
start "$work/run" --dev

# The aws command lines run in one Python process through the AWS CLI's own
# driver (awscli_batch.py), so that the hundred calls below pay Python's
# start-up once.
use_aws_batch

echo "== aws CLI"
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
[ "$(q User.Arn create-user --user-name cli-user --path /cli/ --tags Key=team,Value=mq)" = "arn:aws:iam::123456789012:user/cli/cli-user" ] || fail create-user
refused EntityAlreadyExists create-user --user-name CLI-USER
refused ValidationError create-user --user-name "bad name"
refused ValidationError create-user --user-name x --path nopath
[ "$(q User.UserName get-user --user-name cli-user)" = cli-user ] || fail get-user
[ "$(q User.Arn get-user)" = "arn:aws:iam::123456789012:root" ] || fail "get-user without a name (the root)"
a update-user --user-name cli-user --new-user-name cli-user2 >/dev/null
a tag-user --user-name cli-user2 --tags Key=k,Value=v >/dev/null
[ "$(q 'length(Tags)' list-user-tags --user-name cli-user2)" = 2 ] || fail list-user-tags
a untag-user --user-name cli-user2 --tag-keys k >/dev/null
for n in cli-a cli-b cli-c; do a create-user --user-name "$n" >/dev/null; done
# The CLI follows the markers itself: a page size of 1 still lists all four.
[ "$(q 'length(Users)' list-users --page-size 1)" = 4 ] || fail "list-users across pages"
[ "$(q 'length(Users)' list-users --path-prefix /cli/)" = 1 ] || fail "list-users --path-prefix"

a create-group --group-name cli-group >/dev/null
a add-user-to-group --group-name cli-group --user-name cli-user2 >/dev/null
[ "$(q 'Users[0].UserName' get-group --group-name cli-group)" = cli-user2 ] || fail get-group
[ "$(q 'Groups[0].GroupName' list-groups-for-user --user-name cli-user2)" = cli-group ] || fail list-groups-for-user
refused DeleteConflict delete-group --group-name cli-group
a update-group --group-name cli-group --new-path /team/ >/dev/null

a create-role --role-name cli-role --assume-role-policy-document "$trust" --max-session-duration 7200 >/dev/null
[ "$(q Role.AssumeRolePolicyDocument.Statement[0].Principal.Service get-role --role-name cli-role)" = ec2.amazonaws.com ] || fail "get-role trust policy"
refused MalformedPolicyDocument create-role --role-name bad --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
a update-role --role-name cli-role --description "from the CLI" >/dev/null
[ "$(q Role.Description update-role-description --role-name cli-role --description again)" = again ] || fail update-role-description
a update-assume-role-policy --role-name cli-role --policy-document "$trust" >/dev/null
a tag-role --role-name cli-role --tags Key=a,Value=b >/dev/null
[ "$(q 'Tags[0].Value' list-role-tags --role-name cli-role)" = b ] || fail list-role-tags
a untag-role --role-name cli-role --tag-keys a >/dev/null
a create-instance-profile --instance-profile-name cli-profile >/dev/null
a add-role-to-instance-profile --instance-profile-name cli-profile --role-name cli-role >/dev/null
[ "$(q 'InstanceProfiles[0].Roles[0].RoleName' list-instance-profiles-for-role --role-name cli-role)" = cli-role ] || fail list-instance-profiles-for-role
refused DeleteConflict delete-role --role-name cli-role
a tag-instance-profile --instance-profile-name cli-profile --tags Key=a,Value=b >/dev/null
[ "$(q 'length(Tags)' list-instance-profile-tags --instance-profile-name cli-profile)" = 1 ] || fail list-instance-profile-tags

key=$(q AccessKey.AccessKeyId create-access-key --user-name cli-user2)
a create-access-key --user-name cli-user2 >/dev/null
refused LimitExceeded create-access-key --user-name cli-user2
a update-access-key --user-name cli-user2 --access-key-id "$key" --status Inactive >/dev/null
[ "$(q "AccessKeyMetadata[?AccessKeyId=='$key'].Status | [0]" list-access-keys --user-name cli-user2)" = Inactive ] || fail "list-access-keys status"
[ "$(q UserName get-access-key-last-used --access-key-id "$key")" = cli-user2 ] || fail get-access-key-last-used
refused DeleteConflict delete-user --user-name cli-user2
[ "$(q 'length(MFADevices)' list-mfa-devices --user-name cli-user2)" = 0 ] || fail list-mfa-devices
[ "$(q 'length(SSHPublicKeys)' list-ssh-public-keys --user-name cli-user2)" = 0 ] || fail list-ssh-public-keys
[ "$(q 'length(Certificates)' list-signing-certificates --user-name cli-user2)" = 0 ] || fail list-signing-certificates
[ "$(q 'length(ServiceSpecificCredentials)' list-service-specific-credentials --user-name cli-user2)" = 0 ] || fail list-service-specific-credentials
refused NoSuchEntity get-login-profile --user-name cli-user2

[ "$(q SummaryMap.Users get-account-summary)" = 4 ] || fail "get-account-summary Users"
[ "$(q SummaryMap.AttachedPoliciesPerRoleQuota get-account-summary)" = 10 ] || fail "get-account-summary quota"
a create-account-alias --account-alias cli-team >/dev/null
[ "$(q 'AccountAliases[0]' list-account-aliases)" = cli-team ] || fail list-account-aliases
[ "$(q 'length(RoleDetailList[0].InstanceProfileList)' get-account-authorization-details)" = 1 ] || fail get-account-authorization-details
[ "$(q 'length(UserDetailList)' get-account-authorization-details --filter User)" = 4 ] || fail "get-account-authorization-details --filter"

# Tear it all down: the account ends empty.
for k in $(aws --endpoint-url "$endpoint" --output text --query 'AccessKeyMetadata[].AccessKeyId' iam list-access-keys --user-name cli-user2); do
	a delete-access-key --user-name cli-user2 --access-key-id "$k" >/dev/null
done
a remove-user-from-group --group-name cli-group --user-name cli-user2 >/dev/null
a delete-group --group-name cli-group >/dev/null
a remove-role-from-instance-profile --instance-profile-name cli-profile --role-name cli-role >/dev/null
a delete-instance-profile --instance-profile-name cli-profile >/dev/null
a delete-role --role-name cli-role >/dev/null
for n in cli-user2 cli-a cli-b cli-c; do a delete-user --user-name "$n" >/dev/null; done
a delete-account-alias --account-alias cli-team >/dev/null
refused NoSuchEntity get-user --user-name cli-user2
left=$(($(q 'length(Users)' list-users) + $(q 'length(Groups)' list-groups) + $(q 'length(Roles)' list-roles) + $(q 'length(InstanceProfiles)' list-instance-profiles)))
[ "$left" = 0 ] || fail "the account is not empty: $left entities left"
echo "aws CLI identities: ok"

echo "== boto3"
python3 "$here/iam_identities_boto3.py" "$endpoint" || fail boto3

echo "== JavaScript v3"
if [ ! -d "$here/js/node_modules" ]; then
	(cd "$here/js" && npm ci --no-audit --no-fund --silent) || fail "npm ci"
fi
NODE_NO_WARNINGS=1 node "$here/js/identities.mjs" "$endpoint" || fail "JavaScript v3"

echo "== admin export and import"
a create-user --user-name carried --path /x/ >/dev/null
a create-role --role-name carried-role --assume-role-policy-document "$trust" >/dev/null
stop
"$work/iamq" admin export --data-dir "$work/run/iamq-data" --account-id 123456789012 -o "$work/account.json" || fail "admin export"
"$work/iamq" admin import --data-dir "$work/copy/iamq-data" --account-id 123456789012 "$work/account.json" || fail "admin import"
start "$work/copy" --dev
[ "$(q User.Arn get-user --user-name carried)" = "arn:aws:iam::123456789012:user/x/carried" ] || fail "the imported user"
[ "$(q Role.RoleName get-role --role-name carried-role)" = carried-role ] || fail "the imported role"
stop

echo "== serve --seed"
start "$work/seeded" --dev --seed "$work/account.json"
[ "$(q 'length(Users)' list-users)" = 1 ] || fail "the seeded account"
a delete-user --user-name carried >/dev/null
# A dev reset brings the seeded state back.
curl -fsS -X POST "$endpoint/_iamq/reset" >/dev/null || fail reset
[ "$(q User.UserName get-user --user-name carried)" = carried ] || fail "the seed after a reset"
stop
echo "iam-identities.sh: ok"
