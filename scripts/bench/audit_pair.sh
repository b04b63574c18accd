#!/usr/bin/env bash
# The decision log's cost as server CPU per call, log off and on (issue 23;
# not part of scripts/test.sh). On this shared machine the same build's CPU
# per call moves by a third from minute to minute, more than the log costs,
# so rounds of one server at a time rank nothing, and even two servers
# driven in turn a few seconds apart disagree by ±20 % from pair to pair.
# Here two servers stay up side by side, pinned to the same CPU, and two wrk
# (on the other CPUs, -c16 each) drive both at once, SECONDS each round,
# ROUNDS times: whatever the machine does to one server in a round it does
# to the other. Each server's CPU is read from /proc between rounds (after
# a second for the log's last batches), so the writing its log does after a
# round is counted with that round.
#
# Server "off" runs with --audit=false, server "on" with the log on (as
# 'iamq serve' has it). IAMQ_BIN_ON=/tmp/iamq-Y runs "on" from another build
# and ON_FLAGS replaces its flags: so two builds, both logging, compare
# directly (IAMQ_BIN_ON=/tmp/iamq-new ON_FLAGS= OFF_FLAGS= …: "off" is then
# the old build, log on too).
#
# Prints each round's CPU per call and ratio on/off, then the cost over all
# rounds (each server's CPU over its calls) with a bootstrap 95 % interval
# (resampling rounds), and the median round. RESULTS=FILE keeps the rounds.
#
#   IAMQ_BIN=/tmp/iamq-X [RESULTS=FILE] scripts/bench/audit_pair.sh [SECONDS] [ROUNDS]   # default 4 12
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
seconds=${1:-4} rounds=${2:-12}
off_flags=${OFF_FLAGS---audit=false} on_flags=${ON_FLAGS-}
work=$(mktemp -d /tmp/iamq-bench-auditpair.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
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
}
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
calls() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; }
# round: one round of both wrk at once.
round() {
	local name w=()
	for name in off on; do
		taskset -c "0-$((last - 1))" wrk -t1 -c16 -d"${seconds}s" -s "$work/$name/request.lua" "$(cat "$work/$name/endpoint")/" >"$work/$name/wrk.out" &
		w+=($!)
	done
	wait "${w[@]}"
}

start off "$work/iamq" "$off_flags"
start on "$work/iamq-on" "$on_flags"
echo "two servers on CPU $last (off: $off_flags; on: ${on_flags:-the log on}), two wrk -t1 -c16 on CPUs 0-$((last - 1)) at once, ${seconds} s rounds, $rounds rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
round # warm both up
sleep 1
off_at=$(cpu "$pid_off") on_at=$(cpu "$pid_on")
for i in $(seq 1 "$rounds"); do
	round
	sleep 1 # the on server's last batches
	off_now=$(cpu "$pid_off") on_now=$(cpu "$pid_on")
	python3 -c 'import sys
i, a, b, n, c, d, m = sys.argv[1:]
off = (float(b) - float(a)) / int(n) * 1e6
on = (float(d) - float(c)) / int(m) * 1e6
print("round %s: off %.1f us/call (%s calls), on %.1f us/call (%s calls), ratio %.3f" % (i, off, n, on, m, on / off))' \
		"$i" "$off_at" "$off_now" "$(calls "$work/off/wrk.out")" "$on_at" "$on_now" "$(calls "$work/on/wrk.out")"
	off_at=$off_now on_at=$on_now
done | tee "$work/results"
[ -z "${RESULTS:-}" ] || cp "$work/results" "$RESULTS"
python3 - "$work/results" <<'PY'
import random, re, statistics, sys
rounds = []  # (off us/call, off calls, on us/call, on calls)
for line in open(sys.argv[1]):
    if line.startswith("round"):
        (off, n), (on, m) = re.findall(r"(?:off|on) ([0-9.]+) us/call \(([0-9]+) calls\)", line)
        rounds.append((float(off), int(n), float(on), int(m)))
# Server CPU per call over all rounds: each server's CPU summed over the
# rounds, over its calls summed.
def cost(rs):
    off = sum(o * n for o, n, _, _ in rs) / sum(n for _, n, _, _ in rs)
    on = sum(o * n for _, _, o, n in rs) / sum(n for _, _, _, n in rs)
    return on / off - 1
rng = random.Random(1)
boot = sorted(cost([rng.choice(rounds) for _ in rounds]) for _ in range(10000))
ratios = [on / off for off, _, on, _ in rounds]
print("over %d rounds the log costs %+.1f%% server CPU per call (95%% interval %+.1f%% to %+.1f%%); median round %+.1f%% (rounds: %s)" % (
    len(rounds), cost(rounds) * 100, boot[250] * 100, boot[9750] * 100, (statistics.median(ratios) - 1) * 100,
    ", ".join("%+.1f%%" % ((x - 1) * 100) for x in ratios)))
PY
