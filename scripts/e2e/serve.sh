#!/usr/bin/env bash
# End to end: 'iamq serve' with no flags but a free port, in an empty directory,
# used by the AWS CLI through the credentials file and profile it prints.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/iamq-e2e-serve.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; echo "--- server output:" >&2; cat "$work/out" "$work/err" >&2 || true; exit 1; }

(cd "$root" && go build -o "$work/iamq" ./cmd/iamq)
mkdir "$work/run"
cd "$work/run"
"$work/iamq" serve --addr 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!

# Wait for the banner, which names the endpoint.
for _ in $(seq 1 100); do
	grep -q '^  aws --endpoint-url' "$work/out" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || fail "iamq serve exited"
	sleep 0.1
done
grep -q '^  aws --endpoint-url' "$work/out" || fail "no banner"

# Use exactly the two lines the banner prints.
eval "$(grep '^  export AWS_SHARED_CREDENTIALS_FILE=' "$work/out")"
cmd=$(grep '^  aws --endpoint-url' "$work/out" | sed 's/^  //')
account=$(sed -n 's/.*default account \([0-9]\{12\}\).*/\1/p' "$work/out")
[ -n "$account" ] || fail "the banner names no account"
[ "$(stat -c %a "$AWS_SHARED_CREDENTIALS_FILE")" = 600 ] || fail "the credentials file is not mode 0600"

identity=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_DEFAULT_REGION -u AWS_REGION \
	AWS_CONFIG_FILE=/dev/null $cmd --output json) || fail "$cmd"
echo "$identity"
got=$(echo "$identity" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["Account"], d["Arn"])')
[ "$got" = "$account arn:aws:iam::$account:root" ] || fail "caller identity is '$got', want the root of $account"

# A wrong secret is refused with AWS's code.
endpoint=$(echo "$cmd" | awk '{print $3}')
if out=$(AWS_CONFIG_FILE=/dev/null AWS_ACCESS_KEY_ID=$(sed -n 's/^aws_access_key_id = //p' "$AWS_SHARED_CREDENTIALS_FILE") \
	AWS_SECRET_ACCESS_KEY=wrong AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "$endpoint" sts get-caller-identity 2>&1); then
	fail "a wrong secret was accepted: $out"
fi
echo "$out" | grep -q SignatureDoesNotMatch || fail "a wrong secret gave: $out"

# SIGTERM stops the server cleanly.
kill -TERM "$pid"
wait "$pid" || fail "iamq serve exited with status $? on SIGTERM"
pid=
grep -q 'msg=stopped' "$work/err" || fail "no clean stop logged"
echo "serve.sh: ok (account $account)"
