#!/usr/bin/env bash
# The decision log's cost as server CPU per call, log off and on (issue 23;
# not part of scripts/test.sh). On this shared machine the same build's CPU
# per call moves by a third from minute to minute, more than the log costs,
# so rounds of one server at a time rank nothing, and even two servers
# driven in turn a few seconds apart disagree by ±20 % from pair to pair.
# Here two servers run side by side, pinned to the same CPU, and two wrk
# (on the other CPUs, -c16 each) drive both at once, SECONDS a round: what
# the machine does to one server in a round it does to the other. Each
# server's CPU is read from /proc between rounds (after a second for the
# log's last batches), so the writing its log does after a round is
# counted with that round. A pair of servers keeps an offset of a few
# percent for as long as it runs (where each landed), so RUNS fresh pairs,
# started in either order, run ROUNDS rounds each.
#
# Server "off" runs with --audit=false, server "on" with the log on (as
# 'iamq serve' has it). IAMQ_BIN_ON=/tmp/iamq-Y runs "on" from another build
# and ON_FLAGS replaces its flags: so two builds, both logging, compare
# directly (IAMQ_BIN_ON=/tmp/iamq-new ON_FLAGS= OFF_FLAGS= …: "off" is then
# the old build, log on too).
#
# Driven flat out (the default), the slower server's clients wait for it
# more, and each answer it sends pays for waking its client (the kernel's
# loopback charges the sender): a slowdown reads about 2.5 times larger
# than the work that causes it (a diagnostic build adding 1.7 µs of
# arithmetic per call read +10 %). PACE=1 CONNS=12 has each connection
# wait PACE ms between calls (wrk's delay()), so that both servers answer
# the same calls per second, below what the CPU can: the same build
# then read its 1.7 µs as 1.9 µs. Use it for the log's cost.
#
# Prints each round's CPU per call and ratio on/off, then the cost over
# everything (each server's CPU over its calls) with a bootstrap 95 %
# interval that resamples runs, and each run's cost. RESULTS=FILE keeps
# the rounds.
#
#   IAMQ_BIN=/tmp/iamq-X [PACE=1 CONNS=12] [RESULTS=FILE] scripts/bench/audit_pair.sh [SECONDS] [ROUNDS] [RUNS]   # default 4 6 4
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
seconds=${1:-4} rounds=${2:-6} runs=${3:-4}
off_flags=${OFF_FLAGS---audit=false} on_flags=${ON_FLAGS-} conns=${CONNS:-16}
work=$(mktemp -d /tmp/iamq-bench-auditpair.XXXXXX)
pids=()
# stop: the servers stopped.
stop() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	pids=()
}
trap 'stop; rm -rf "$work"' EXIT
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
cp "${IAMQ_BIN_ON:-$work/iamq}" "$work/iamq-on"
last=$(($(nproc) - 1))
[ "$last" -ge 1 ] || { echo "audit_pair.sh needs two CPUs" >&2; exit 1; }

# start NAME BINARY FLAGS…: a server pinned to the last CPU, its bench user
# and signed request; sets pid_NAME and the files under $work/NAME.
start() {
	local name=$1 bin=$2
	shift 2
	local dir="$work/$name"
	rm -rf "$dir" && mkdir -p "$dir"
	# shellcheck disable=SC2068 # the flags are words
	(cd "$dir" && exec taskset -c "$last" "$bin" serve --addr 127.0.0.1:0 --data-dir "$dir/data" $@ >"$dir/out" 2>"$dir/err") &
	local p=$!
	pids+=("$p")
	eval "pid_$name=$p"
	local endpoint
	endpoint=$(iamq_endpoint "$dir") || exit 1
	echo "$endpoint" >"$dir/endpoint"
	bench_request "$endpoint" "$dir/data/credentials" "Action=GetUser&Version=2010-05-08" >"$dir/request.lua"
	[ -z "${PACE:-}" ] || echo "function delay() return $PACE end" >>"$dir/request.lua"
}
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
calls() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; }
# round: one round of both wrk at once.
round() {
	local name w=()
	for name in off on; do
		taskset -c "0-$((last - 1))" wrk -t1 -c"$conns" -d"${seconds}s" -s "$work/$name/request.lua" "$(cat "$work/$name/endpoint")/" >"$work/$name/wrk.out" &
		w+=($!)
	done
	wait "${w[@]}"
}

echo "two servers on CPU $last (off: $off_flags; on: ${on_flags:-the log on}), two wrk -t1 -c$conns${PACE:+ (each connection waiting $PACE ms between calls)} on CPUs 0-$((last - 1)) at once; $runs runs of $rounds rounds of ${seconds} s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for run in $(seq 1 "$runs"); do
	# A fresh pair each run, started in turn in either order: where a
	# server lands (its memory, its connections) moves its CPU per call by
	# a few percent for as long as it runs.
	if [ $((run % 2)) = 1 ]; then
		start off "$work/iamq" "$off_flags"
		start on "$work/iamq-on" "$on_flags"
	else
		start on "$work/iamq-on" "$on_flags"
		start off "$work/iamq" "$off_flags"
	fi
	round # warm both up
	sleep 1
	off_at=$(cpu "$pid_off") on_at=$(cpu "$pid_on")
	for i in $(seq 1 "$rounds"); do
		round
		sleep 1 # the on server's last batches
		off_now=$(cpu "$pid_off") on_now=$(cpu "$pid_on")
		python3 -c 'import sys
r, i, a, b, n, c, d, m = sys.argv[1:]
off = (float(b) - float(a)) / int(n) * 1e6
on = (float(d) - float(c)) / int(m) * 1e6
print("run %s round %s: off %.1f us/call (%s calls), on %.1f us/call (%s calls), ratio %.3f" % (r, i, off, n, on, m, on / off))' \
			"$run" "$i" "$off_at" "$off_now" "$(calls "$work/off/wrk.out")" "$on_at" "$on_now" "$(calls "$work/on/wrk.out")"
		off_at=$off_now on_at=$on_now
	done
	stop
done | tee "$work/results"
[ -z "${RESULTS:-}" ] || cp "$work/results" "$RESULTS"
python3 - "$work/results" <<'PY'
import collections, random, re, statistics, sys
runs = collections.defaultdict(list)  # run: [(off us/call, off calls, on us/call, on calls)]
for line in open(sys.argv[1]):
    if line.startswith("run"):
        (off, n), (on, m) = re.findall(r"(?:off|on) ([0-9.]+) us/call \(([0-9]+) calls\)", line)
        runs[line.split()[1]].append((float(off), int(n), float(on), int(m)))
# Server CPU per call: each server's CPU summed over the rounds, over its
# calls summed.
def cost(rs):
    off = sum(o * n for o, n, _, _ in rs) / sum(n for _, n, _, _ in rs)
    on = sum(o * n for _, _, o, n in rs) / sum(n for _, _, _, n in rs)
    return on / off - 1
everything = [r for rs in runs.values() for r in rs]
# The interval resamples runs, not rounds: a run's rounds share its pair
# of servers, and so its offset.
rng = random.Random(1)
pairs = list(runs.values())
boot = sorted(cost([r for rs in (rng.choice(pairs) for _ in pairs) for r in rs]) for _ in range(10000))
print("over %d runs (%d rounds) the log costs %+.1f%% server CPU per call (95%% interval over runs %+.1f%% to %+.1f%%); runs: %s" % (
    len(runs), len(everything), cost(everything) * 100, boot[250] * 100, boot[9750] * 100,
    ", ".join("%+.1f%%" % (cost(rs) * 100) for rs in runs.values())))
PY
