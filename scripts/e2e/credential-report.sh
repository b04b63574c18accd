#!/usr/bin/env bash
# End to end: the credential report, generated through the AWS CLI and boto3
# against 'iamq serve --dev', parsed by Python's csv module and checked
# against the users, access keys, passwords, MFA devices and signing
# certificates IAM lists.
. "$(dirname "$0")/lib.bash" credential-report
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/sign.key" -out "$work/sign.pem" -days 30 \
	-subj "/CN=report signing" 2>/dev/null || fail "openssl"
start "$work/run" --dev
python3 "$here/credential_report.py" "$endpoint" "$work/sign.pem" || fail "credential report (boto3)"
# The CLI prints Content base64-encoded; decoded, the first row after the
# header is the root's.
content=$(aws --endpoint-url "$endpoint" iam get-credential-report --query Content --output text) || fail get-credential-report
csv=$(printf '%s' "$content" | base64 -d)
second=$(printf '%s\n' "$csv" | sed -n 2p)
case "$second" in "<root_account>,arn:aws:iam::123456789012:root,"*) ;; *) fail "the CLI's report: second line $second" ;; esac
stop
echo "PASS credential-report"
