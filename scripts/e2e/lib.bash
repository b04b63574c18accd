# lib.bash: what every end-to-end script shares. (It is named .bash so that
# scripts/test.sh, which runs every scripts/e2e/*.sh, does not run it.)
# Source it first, naming the script:
#
#   . "$(dirname "$0")/lib.bash" NAME
#
# It sets root (the repository), here (scripts/e2e) and work (a temporary
# directory, removed at exit with everything started), builds iamq into
# $work/iamq, and defines fail, start, stop, use_aws_batch and the IAM call
# helpers a, q and refused.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/scripts/e2e"
work=$(mktemp -d "/tmp/iamq-e2e-$1.XXXXXX")
pid=
clipid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ -n "$clipid" ]; then exec 7>&- 8<&-; kill "$clipid" 2>/dev/null || true; wait "$clipid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# fail MESSAGE: says what failed, shows the server's output, exits 1.
fail() { echo "FAIL: $*" >&2; echo "--- server output:" >&2; cat "$work/out" "$work/err" >&2 || true; exit 1; }

# start DIR ARGS…: runs 'iamq serve --addr 127.0.0.1:0 ARGS…' in DIR, waits
# for its banner, and sets pid and endpoint.
start() {
	local dir=$1
	shift
	mkdir -p "$dir"
	# A previous server's banner must not be read for this one's.
	rm -f "$work/out" "$work/err"
	(cd "$dir" && exec "$work/iamq" serve --addr 127.0.0.1:0 "$@" >"$work/out" 2>"$work/err") &
	pid=$!
	for _ in $(seq 1 100); do
		if grep -q '^  aws --endpoint-url' "$work/out" 2>/dev/null; then
			endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$work/out")
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || fail "iamq serve exited"
		sleep 0.1
	done
	fail "no banner"
}

# stop: SIGTERM, which must end the server cleanly.
stop() {
	kill -TERM "$pid"
	wait "$pid" || fail "iamq serve exited with status $? on SIGTERM"
	pid=
	grep -q 'msg=stopped' "$work/err" || fail "no clean stop logged"
}

# use_aws_batch: from now on the aws command runs in one Python process
# through the AWS CLI's own driver (awscli_batch.py), so that a hundred calls
# pay Python's start-up once. aws ARGS… prints the output and errors of the
# command and returns its status, as the aws command would.
use_aws_batch() {
	mkfifo "$work/cli.in" "$work/cli.out"
	python3 -u "$here/awscli_batch.py" <"$work/cli.in" >"$work/cli.out" &
	clipid=$!
	exec 7>"$work/cli.in" 8<"$work/cli.out"
}
aws() {
	if [ -z "$clipid" ]; then command aws "$@"; return; fi
	local x line='' rc out err
	for x in "$@"; do line+="$(printf '%s' "$x" | base64 -w0) "; done
	echo "$line" >&7
	{ read -r rc && read -r out && read -r err; } <&8 || fail "the aws CLI process died"
	[ -z "$out" ] || printf '%s' "$out" | base64 -d
	[ -z "$err" ] || printf '%s' "$err" | base64 -d >&2
	return "$rc"
}

# a ARGS…: an IAM call (aws iam ARGS…) against $endpoint, JSON output.
a() { aws --endpoint-url "$endpoint" --output json iam "$@"; }
# q QUERY ARGS…: one value out of an IAM answer. (JSON, not text: with text
# output the CLI applies the query to each page of a paginated answer.)
q() {
	local query=$1
	shift
	aws --endpoint-url "$endpoint" --output json --query "$query" iam "$@" | sed -e 's/^"//' -e 's/"$//'
}
# refused CODE ARGS…: the IAM call must fail with the error code CODE.
refused() {
	local code=$1 out
	shift
	if out=$(a "$@" 2>&1); then fail "iam $* succeeded, want $code"; fi
	echo "$out" | grep -q "($code)" || fail "iam $* gave: $out (want $code)"
	echo "  refused as expected: $code"
}

(cd "$root" && go build -o "$work/iamq" ./cmd/iamq)
