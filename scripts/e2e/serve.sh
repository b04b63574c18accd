#!/usr/bin/env bash
# End to end: 'iamq serve' with no flags but a free port, in an empty directory,
# used by the AWS CLI through the credentials file and profile it prints; then
# dev mode with the test/test keys that test suites use.
. "$(dirname "$0")/lib.bash" serve
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_REGION AWS_PROFILE
export AWS_CONFIG_FILE=/dev/null

# 1. No flags: the printed profile is the root of a new random account.
start "$work/run"
(
	eval "$(grep '^  export AWS_SHARED_CREDENTIALS_FILE=' "$work/out")"
	cmd=$(grep '^  aws --endpoint-url' "$work/out" | sed 's/^  //')
	account=$(sed -n 's/.*default account \([0-9]\{12\}\).*/\1/p' "$work/out")
	[ -n "$account" ] || fail "the banner names no account"
	[ "$(stat -c %a "$AWS_SHARED_CREDENTIALS_FILE")" = 600 ] || fail "the credentials file is not mode 0600"
	identity=$($cmd --output json) || fail "$cmd"
	echo "$identity"
	got=$(echo "$identity" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["Account"], d["Arn"])')
	[ "$got" = "$account arn:aws:iam::$account:root" ] || fail "caller identity is '$got', want the root of $account"

	# A wrong secret is refused with AWS's code.
	endpoint=$(echo "$cmd" | awk '{print $3}')
	key_id=$(sed -n 's/^aws_access_key_id = //p' "$AWS_SHARED_CREDENTIALS_FILE")
	if out=$(env -u AWS_SHARED_CREDENTIALS_FILE -u AWS_PROFILE AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY=wrong \
		AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "$endpoint" sts get-caller-identity 2>&1); then
		fail "a wrong secret was accepted: $out"
	fi
	echo "$out" | grep -q SignatureDoesNotMatch || fail "a wrong secret gave: $out"
)
stop

# 2. Dev mode: test/test is the root of 123456789012; reset answers.
start "$work/dev" --dev
grep -q 'DEV MODE IS ON' "$work/out" || fail "the banner does not say dev mode is on"
endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$work/out")
arn=$(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
	aws --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text) || fail "dev get-caller-identity"
[ "$arn" = "arn:aws:iam::123456789012:root" ] || fail "dev mode: test is '$arn'"
curl -fsS -X POST "$endpoint/_iamq/reset" >/dev/null || fail "reset"
stop
echo "serve.sh: ok"
