#!/usr/bin/env bash
# Load benchmark of the decision log (issue 23; not part of scripts/test.sh):
# the server's CPU per call with the log off (--audit=false) and on (the
# default: every call recorded, explained and written to SQLite in batches),
# in the same sitting, alternating, ROUNDS rounds each. The call is
# enforce.sh's: one iam:GetUser signed by an IAM user whose inline policy
# allows it, replayed by wrk on loopback (full SigV4, every call authorized).
# CPU comes from /proc as in endpoint.sh, so the machine's other load
# inflates wall-clock figures more than these; it is read a second after
# wrk ends (the log's last batches written), before the shutdown.
#
#   scripts/bench/audit.sh [DURATION] [ROUNDS] [THREADS] [CONNECTIONS]   # default 10s 2 2 32
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
duration=${1:-10s} rounds=${2:-2} threads=${3:-2} conns=${4:-32}
work=$(mktemp -d /tmp/iamq-bench-audit.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=pin.bash
source "$bench/pin.bash"
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi

# measure MODE FLAGS…: one server with FLAGS, its user, wrk; prints a line
# "MODE requests server-us-per-request".
measure() {
	local mode=$1
	shift
	rm -rf "$work/data" "$work/out" "$work/err"
	(cd "$work" && exec ${pin_server[@]+"${pin_server[@]}"} ./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" "$@" >"$work/out" 2>"$work/err") &
	pid=$!
	local endpoint before after
	endpoint=$(iamq_endpoint "$work") || exit 1
	bench_request "$endpoint" "$work/data/credentials" "Action=GetUser&Version=2010-05-08" >"$work/request.lua"
	cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat"; }
	before=$(cpu)
	${pin_wrk[@]+"${pin_wrk[@]}"} wrk -t"$threads" -c"$conns" -d"$duration" -s "$work/request.lua" "$endpoint/" >"$work/wrk.out"
	# The log's batches still being written belong to these calls: wait two
	# of its intervals (0.5 s), in which the writer writes them, and count
	# that CPU too. The shutdown is not counted: closing the store (its WAL
	# checkpoint) costs a fixed amount per run, which a slow round would
	# spread over few calls.
	sleep 1
	after=$(cpu)
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
	grep -q 'dropped records' "$work/err" && echo "WARNING: $mode: $(grep 'dropped records' "$work/err")"
	python3 - "$mode" "$before" "$after" "$work/wrk.out" <<'PY'
import re, sys
mode, before, after, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
text = open(path).read()
n = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print("%s %d %.1f %s" % (mode, n, (after - before) / n * 1e6, bad.group(1) if bad else 0))
PY
}

echo "wrk -t$threads -c$conns -d$duration, $rounds rounds per mode (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for _ in $(seq 1 "$rounds"); do
	measure off --audit=false
	measure on
done | tee "$work/results"
python3 - "$work/results" <<'PY'
import sys
by = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 4 and parts[0] in ("off", "on"):
        by.setdefault(parts[0], []).append((int(parts[1]), float(parts[2]), int(parts[3])))
for mode in ("off", "on"):
    rs = by[mode]
    print("log %-3s: %s us of server CPU per call (rounds), %d calls, non-2xx %d" % (
        mode, ", ".join("%.1f" % r[1] for r in rs), sum(r[0] for r in rs), sum(r[2] for r in rs)))
off = sum(r[1] for r in by["off"]) / len(by["off"])
on = sum(r[1] for r in by["on"]) / len(by["on"])
print("mean: off %.1f us, on %.1f us: the log costs %+.1f%% server CPU per call" % (off, on, (on / off - 1) * 100))
PY
