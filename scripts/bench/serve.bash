# Sourced by the load benchmarks that drive a running `iamq serve` with wrk.
#
# iamq_endpoint DIR: waits (at most 10 s) for the banner the server in DIR
# writes to DIR/out and prints its endpoint; on failure prints DIR's out
# and err and returns 1.
iamq_endpoint() {
	local dir=$1 endpoint
	for _ in $(seq 1 100); do grep -q '^  aws --endpoint-url' "$dir/out" 2>/dev/null && break; sleep 0.1; done
	endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$dir/out")
	[ -n "$endpoint" ] || { cat "$dir/out" "$dir/err" >&2; return 1; }
	echo "$endpoint"
}

# bench_request ENDPOINT CREDENTIALS BODY: with the root credentials file the
# server wrote, makes the IAM user "bench" whose inline policy allows
# iam:GetUser (setup_user.py), and prints wrk's script of its IAM call BODY,
# signed (sign.py).
bench_request() {
	local endpoint=$1 creds=$2 body=$3 key_id secret
	read -r key_id secret < <(python3 "$bench/setup_user.py" "$endpoint" "$(sed -n 's/^aws_access_key_id = //p' "$creds")" \
		"$(sed -n 's/^aws_secret_access_key = //p' "$creds")" bench)
	python3 "$bench/sign.py" "$endpoint" "$key_id" "$secret" iam "$body"
}
