#!/usr/bin/env bash
# The decision log's cost as server CPU per call, log off and on, measured in
# quick alternation (issue 23; not part of scripts/test.sh). On a shared
# machine the same build's CPU per call moves by a third from minute to
# minute, more than the log costs, so audit.sh's rounds of a fresh server
# each rank nothing. Here two servers stay up side by side, pinned to the
# same CPU, one with --audit=false and one with the log on, and wrk (on the
# other CPUs) drives them in turn, BURST seconds each, PAIRS times (which
# goes first alternating): each pair of bursts sees the same machine. A server's CPU is read from /proc
# at the start of each of its bursts, so the writing its log does after a
# burst is counted with that burst. Prints each pair's ratio on/off and
# their median.
#
#   IAMQ_BIN=/tmp/iamq-X scripts/bench/audit_pair.sh [BURST] [PAIRS]   # default 3 12
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
burst=${1:-3} pairs=${2:-12}
work=$(mktemp -d /tmp/iamq-bench-auditpair.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
last=$(($(nproc) - 1))
[ "$last" -ge 1 ] || { echo "audit_pair.sh needs two CPUs" >&2; exit 1; }

# start NAME FLAGS…: a server pinned to the last CPU, its bench user and
# signed request; sets pid_NAME and the files under $work/NAME.
start() {
	local name=$1
	shift
	local dir="$work/$name"
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && exec taskset -c "$last" ../iamq serve --addr 127.0.0.1:0 --data-dir "$dir/data" "$@" >"$dir/out" 2>"$dir/err") &
	local p=$!
	pids+=("$p")
	eval "pid_$name=$p"
	local endpoint
	endpoint=$(iamq_endpoint "$dir") || exit 1
	echo "$endpoint" >"$dir/endpoint"
	bench_request "$endpoint" "$dir/data/credentials" "Action=GetUser&Version=2010-05-08" >"$dir/request.lua"
}
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
calls() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; }
# run NAME: one burst of wrk against NAME's server; prints its calls.
run() {
	taskset -c "0-$((last - 1))" wrk -t2 -c32 -d"${burst}s" -s "$work/$1/request.lua" "$(cat "$work/$1/endpoint")/" >"$work/$1/wrk.out"
	calls "$work/$1/wrk.out"
}

start off --audit=false
start on
echo "two servers on CPU $last, wrk -t2 -c32 on CPUs 0-$((last - 1)), ${burst} s bursts in turn, $pairs pairs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
run off >/dev/null # warm both up
run on >/dev/null
sleep 1
off_at=$(cpu "$pid_off") on_at=$(cpu "$pid_on")
for i in $(seq 1 "$pairs"); do
	# Which goes first alternates, so that neither always follows the
	# other's burst.
	if [ $((i % 2)) = 1 ]; then
		n_off=$(run off)
		n_on=$(run on)
	else
		n_on=$(run on)
		n_off=$(run off)
	fi
	sleep 1 # the on server's last batches
	off_now=$(cpu "$pid_off") on_now=$(cpu "$pid_on")
	python3 -c 'import sys
i, a, b, n, c, d, m = sys.argv[1:]
off = (float(b) - float(a)) / int(n) * 1e6
on = (float(d) - float(c)) / int(m) * 1e6
print("pair %s: off %.1f us/call (%s calls), on %.1f us/call (%s calls), ratio %.3f" % (i, off, n, on, m, on / off))' \
		"$i" "$off_at" "$off_now" "$n_off" "$on_at" "$on_now" "$n_on"
	off_at=$off_now on_at=$on_now
done | tee "$work/results"
python3 - "$work/results" <<'PY'
import statistics, sys
ratios = [float(l.split()[-1]) for l in open(sys.argv[1]) if l.startswith("pair")]
print("median ratio on/off %.3f over %d pairs: the log costs %+.1f%% server CPU per call (pairs: %s)" % (
    statistics.median(ratios), len(ratios), (statistics.median(ratios) - 1) * 100, ", ".join("%+.1f%%" % ((x - 1) * 100) for x in ratios)))
PY
