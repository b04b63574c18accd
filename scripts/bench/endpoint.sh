#!/usr/bin/env bash
# Load benchmark of the endpoint (not part of scripts/test.sh): one signed
# sts:GetCallerIdentity, replayed by wrk on loopback against 'iamq serve'
# (SQLite, full SigV4 verification, not dev mode).
#
#   scripts/bench/endpoint.sh [DURATION] [THREADS] [CONNECTIONS]   # default 20s 2 32
#
# IAMQ_BIN names a prebuilt binary to measure instead of building one; see
# pin.bash for IAMQ_BENCH_PIN.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-20s} threads=${2:-2} conns=${3:-32}
work=$(mktemp -d /tmp/iamq-bench-endpoint.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=pin.bash
source "$root/scripts/bench/pin.bash"

if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
cd "$work"
${pin_server[@]+"${pin_server[@]}"} ./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q '^  aws --endpoint-url' "$work/out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$work/out")
[ -n "$endpoint" ] || { cat "$work/out" "$work/err"; exit 1; }
creds="$work/data/credentials"
key_id=$(sed -n 's/^aws_access_key_id = //p' "$creds")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$creds")

python3 "$root/scripts/bench/sign.py" "$endpoint" "$key_id" "$secret" sts \
	"Action=GetCallerIdentity&Version=2011-06-15" >"$work/request.lua"
echo "wrk -t$threads -c$conns -d$duration --latency against $endpoint (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# CPU seconds (user + system) of the server, from /proc, and of wrk, from
# getrusage: the other engineers' load inflates wall-clock figures, not these.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat"; }
before=$(cpu)
wrk_cpu=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f" % (r.ru_utime + r.ru_stime))' ${pin_wrk[@]+"${pin_wrk[@]}"} wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$work/request.lua" "$endpoint/" | tee "$work/wrk.out" | tail -1)
head -n -1 "$work/wrk.out"
after=$(cpu)
# The labels' order differs between builds (client_golang sorts them).
requests=$(curl -fsS "$endpoint/metrics" | awk '/^iamq_requests_total\{/ && /service="sts"/ && /operation="GetCallerIdentity"/ && /code="OK"/ {print $2}')
python3 - "$before" "$after" "$wrk_cpu" "$requests" <<'PY'
import sys
before, after, wrk, n = map(float, sys.argv[1:])
server_us, wrk_us = (after - before) / n * 1e6, wrk / n * 1e6
print("requests answered OK: %d" % n)
print("CPU per request: server %.1f us, wrk %.1f us; 2 cores at full use: %.0f requests/s (one core of server alone: %.0f)"
      % (server_us, wrk_us, 2e6 / (server_us + wrk_us), 1e6 / server_us))
PY
