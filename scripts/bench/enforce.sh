#!/usr/bin/env bash
# Load benchmark of enforcement (not part of scripts/test.sh): one
# iam:GetUser signed by an IAM user whose inline policy allows it, replayed
# by wrk on loopback against 'iamq serve' (SQLite, full SigV4 verification,
# every call authorized), then against moto_server (moto's IAM
# authentication and authorization turned on) with the same request, signed
# for moto's own key, in the same run.
#
#   scripts/bench/enforce.sh [DURATION] [THREADS] [CONNECTIONS]   # default 20s 2 32
#
# IAMQ_BIN names a prebuilt binary to measure instead of building one; see
# pin.bash for IAMQ_BENCH_PIN.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
duration=${1:-20s} threads=${2:-2} conns=${3:-32}
work=$(mktemp -d /tmp/iamq-bench-enforce.XXXXXX)
pid=
motopid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ -n "$motopid" ]; then kill -TERM "$motopid" 2>/dev/null || true; wait "$motopid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=pin.bash
source "$bench/pin.bash"
body="Action=GetUser&Version=2010-05-08"

# run NAME ENDPOINT PID: wrk with the signed request in $work/request.lua;
# prints wrk's figures and the server's CPU time per request.
run() {
	local name=$1 endpoint=$2 spid=$3
	echo "== $name: wrk -t$threads -c$conns -d$duration --latency $endpoint (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$spid/stat"; }
	local before after
	before=$(cpu)
	# wrk's own CPU seconds come from getrusage, printed on a last line.
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("wrk-cpu %.2f" % (r.ru_utime + r.ru_stime))' ${pin_wrk[@]+"${pin_wrk[@]}"} wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$work/request.lua" "$endpoint/" >"$work/$name.wrk"
	after=$(cpu)
	grep -v '^wrk-cpu' "$work/$name.wrk"
	python3 - "$before" "$after" "$work/$name.wrk" <<'PY'
import re, sys
before, after, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
text = open(path).read()
n = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
wrk = float(re.search(r"wrk-cpu ([\d.]+)", text).group(1))
server_us, wrk_us = (after - before) / n * 1e6, wrk / n * 1e6
print("requests: %d, non-2xx: %s; CPU per request: server %.1f us, wrk %.1f us; 2 cores at full use: %.0f requests/s"
      % (n, bad.group(1) if bad else 0, server_us, wrk_us, 2e6 / (server_us + wrk_us)))
PY
}

# iamq
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
(cd "$work" && exec ${pin_server[@]+"${pin_server[@]}"} ./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err") &
pid=$!
endpoint=$(iamq_endpoint "$work")
bench_request "$endpoint" "$work/data/credentials" "$body" >"$work/request.lua"
run iamq "$endpoint" "$pid"
denied=$(curl -fsS "$endpoint/metrics" | awk '/^iamq_requests_total\{/ && /service="iam"/ && /operation="GetUser"/ && /code="AccessDenied"/ {print $2}')
echo "iamq AccessDenied answers: ${denied:-0}"
kill -TERM "$pid"; wait "$pid" || true; pid=

# moto: its IAM authentication and authorization start after the 3 setup
# calls (INITIAL_NO_AUTH_ACTION_COUNT), so the replayed request is verified
# and authorized by moto too.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
INITIAL_NO_AUTH_ACTION_COUNT=3 ${pin_server[@]+"${pin_server[@]}"} python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.out" 2>&1 &
motopid=$!
moto="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$moto/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done
read -r key_id secret < <(python3 "$bench/setup_user.py" "$moto" test test bench)
python3 "$bench/sign.py" "$moto" "$key_id" "$secret" iam "$body" >"$work/request.lua"
run moto "$moto" "$motopid"
