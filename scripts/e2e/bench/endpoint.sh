#!/usr/bin/env bash
# Load benchmark of the endpoint (not part of scripts/test.sh): one signed
# sts:GetCallerIdentity, replayed by wrk on loopback against 'iamq serve'
# (SQLite, full SigV4 verification, not dev mode).
#
#   scripts/e2e/bench/endpoint.sh [DURATION] [THREADS] [CONNECTIONS]   # default 20s 2 32
#
# IAMQ_BIN names a prebuilt binary to measure instead of building one.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
duration=${1:-20s} threads=${2:-2} conns=${3:-32}
work=$(mktemp -d /tmp/iamq-bench-endpoint.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
cd "$work"
./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q '^  aws --endpoint-url' "$work/out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$work/out")
[ -n "$endpoint" ] || { cat "$work/out" "$work/err"; exit 1; }
creds="$work/data/credentials"
key_id=$(sed -n 's/^aws_access_key_id = //p' "$creds")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$creds")

python3 "$root/scripts/e2e/bench/sign.py" "$endpoint" "$key_id" "$secret" sts \
	"Action=GetCallerIdentity&Version=2011-06-15" >"$work/request.lua"
echo "wrk -t$threads -c$conns -d$duration --latency against $endpoint (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$work/request.lua" "$endpoint/"
curl -fsS "$endpoint/metrics" | grep 'iamq_requests_total{service="sts",operation="GetCallerIdentity"'
