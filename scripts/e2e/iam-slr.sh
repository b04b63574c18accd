#!/usr/bin/env bash
# End to end: Amazon MQ's service-linked role through the AWS CLI against
# 'iamq serve --dev' — create it, the refusals, its description, and its
# deletion task — then other services' roles from the table (two principals,
# two policies, a role only its service creates), then a user
# whose AmazonMQFullAccess lets it create the role for Amazon MQ and for no
# other service.
. "$(dirname "$0")/lib.bash" slr
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

start "$work/run" --dev


role=AWSServiceRoleForAmazonMQ
echo "== create"
path=$(q Role.Path create-service-linked-role --aws-service-name mq.amazonaws.com --description "Amazon MQ")
[ "$path" = /aws-service-role/mq.amazonaws.com/ ] || fail "path $path"
[ "$(q 'AttachedPolicies[0].PolicyName' list-attached-role-policies --role-name $role)" = AmazonMQServiceRolePolicy ] || fail "policy"
refused InvalidInput create-service-linked-role --aws-service-name mq.amazonaws.com
refused InvalidInput create-service-linked-role --aws-service-name mq.amazonaws.com --custom-suffix x

echo "== only the description changes"
refused UnmodifiableEntity delete-role --role-name $role
refused UnmodifiableEntity attach-role-policy --role-name $role --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
aws --endpoint-url "$endpoint" iam update-role-description --role-name $role --description "brokers' role" >/dev/null
[ "$(q Role.Description get-role --role-name $role)" = "brokers' role" ] || fail "description"

echo "== delete"
task=$(q DeletionTaskId delete-service-linked-role --role-name $role)
case $task in task/aws-service-role/mq.amazonaws.com/$role/*) ;; *) fail "task id $task" ;; esac
status=
for _ in $(seq 1 50); do
	status=$(q Status get-service-linked-role-deletion-status --deletion-task-id "$task")
	[ "$status" = IN_PROGRESS ] || break
	sleep 0.1
done
[ "$status" = SUCCEEDED ] || fail "deletion status $status"
refused NoSuchEntity get-role --role-name $role

echo "== other services' roles, as the table has them (one row of each source)"
for row in "directconnect.amazonaws.com AWSServiceRoleForDirectConnect AWSDirectConnectServiceRolePolicy" \
	"license-manager.amazonaws.com AWSServiceRoleForAWSLicenseManagerRole AWSLicenseManagerServiceRolePolicy" \
	"schemas.amazonaws.com AWSServiceRoleForSchemas AmazonEventBridgeSchemasServiceRolePolicy" \
	"ecs.amazonaws.com AWSServiceRoleForECS AmazonECSServiceRolePolicy"; do
	read -r service name policy <<<"$row"
	[ "$(q Role.RoleName create-service-linked-role --aws-service-name "$service")" = "$name" ] || fail "$service's role"
	[ "$(q Role.Path get-role --role-name "$name")" = "/aws-service-role/$service/" ] || fail "$name's path"
	[ "$(q 'AttachedPolicies[0].PolicyName' list-attached-role-policies --role-name "$name")" = "$policy" ] || fail "$name's policy"
done
[ "$(q Role.RoleName create-service-linked-role --aws-service-name autoscaling.amazonaws.com --custom-suffix e2e)" = AWSServiceRoleForAutoScaling_e2e ] || fail "custom suffix"
refused InvalidInput create-service-linked-role --aws-service-name directconnect.amazonaws.com --custom-suffix e2e
refused InvalidInput create-service-linked-role --aws-service-name nosuch.amazonaws.com

echo "== two principals, two policies, and a role only its service creates"
services=$(q 'join(`,`, Role.AssumeRolePolicyDocument.Statement[0].Principal.Service)' create-service-linked-role --aws-service-name odb.amazonaws.com)
[ "$services" = odb.amazonaws.com,vpc-lattice.amazonaws.com ] || fail "AWSServiceRoleForODB trusts $services"
aws --endpoint-url "$endpoint" iam create-service-linked-role --aws-service-name monitron.amazonaws.com >/dev/null
policies=$(q 'sort(AttachedPolicies[].PolicyName) | join(`,`, @)' list-attached-role-policies --role-name AWSServiceRoleForMonitron)
[ "$policies" = AWSServiceRoleForMonitronPolicy,MonitronServiceRolePolicy ] || fail "Monitron's policies $policies"
refused InvalidInput create-service-linked-role --aws-service-name outposts.amazonaws.com
[ "$(q 'length(Roles)' list-roles --path-prefix /aws-service-role/outposts.amazonaws.com/)" = 0 ] || fail "an Outposts role after the refusal"

echo "== AmazonMQFullAccess creates Amazon MQ's role only"
aws --endpoint-url "$endpoint" iam create-user --user-name mq-admin >/dev/null
aws --endpoint-url "$endpoint" iam attach-user-policy --user-name mq-admin --policy-arn arn:aws:iam::aws:policy/AmazonMQFullAccess
read -r key secret < <(aws --endpoint-url "$endpoint" --output text --query 'AccessKey.[AccessKeyId,SecretAccessKey]' iam create-access-key --user-name mq-admin)
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret refused AccessDenied create-service-linked-role --aws-service-name elasticbeanstalk.amazonaws.com
[ "$(AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret q Role.RoleName create-service-linked-role --aws-service-name mq.amazonaws.com)" = $role ] || fail "mq-admin could not create the role"
echo "OK"
