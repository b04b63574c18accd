#!/usr/bin/env bash
# What an attacker's load makes 'iamq serve' hold (issue 14, items 9 and 10),
# with scripts/bench/flood (not part of scripts/test.sh):
#
#   1. 200 concurrent unsigned 1 MB POSTs for 8 s, then the same signed by a
#      key iamq never issued: the server's peak RSS (sampled every 50 ms);
#   2. 20,000 silent connections (two clients of 10,000: the open-file limit
#      is per process), then signed GetCallerIdentity calls, each on a new
#      connection: the slowest, and the server's peak RSS.
#
#   scripts/bench/flood.sh            # IAMQ_BIN names a prebuilt binary to measure
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/iamq-bench-flood.XXXXXX)
pid= sampler=
cleanup() {
	[ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
(cd "$root/scripts/bench/flood" && go build -o "$work/flood" .)
ulimit -n "$(ulimit -Hn)"
echo "open-file limit $(ulimit -n); load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$work"
./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q '^  aws --endpoint-url' "$work/out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^  aws --endpoint-url \([^ ]*\) .*/\1/p' "$work/out")
[ -n "$endpoint" ] || { cat "$work/out" "$work/err"; exit 1; }
key_id=$(sed -n 's/^aws_access_key_id = //p' "$work/data/credentials")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$work/data/credentials")
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
# peak RSS in MB while a phase runs: sample every 50 ms into $work/peak
start_sampling() {
	echo 0 >"$work/peak"
	(peak=0; while sleep 0.05; do r=$(rss) || exit 0; [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/peak"; done) &
	sampler=$!
}
stop_sampling() { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=; cat "$work/peak"; }

./flood call -url "$endpoint" -key "$key_id" -secret "$secret" -n 3 >/dev/null
echo "RSS after start and 3 calls: $(rss) MB"
for who in unsigned unknown-key; do
	args=()
	[ "$who" = unknown-key ] && args=(-key AKIANEVERISSUED00000)
	start_sampling
	./flood posts -url "$endpoint" -workers 200 -size 1048576 -for 8s ${args[@]+"${args[@]}"} | sed "s/^/  $who POSTs: /"
	echo "$who: peak RSS $(stop_sampling) MB; RSS after $(rss) MB"
done

start_sampling
./flood idle -url "$endpoint" -conns 10000 -hold 30s >"$work/idle1" &
a=$!
./flood idle -url "$endpoint" -conns 10000 -hold 30s >"$work/idle2" &
b=$!
for _ in $(seq 1 200); do grep -q holding "$work/idle1" 2>/dev/null && grep -q holding "$work/idle2" 2>/dev/null && break; sleep 0.1; done
cat "$work/idle1" "$work/idle2" | sed 's/^/  idle: /'
echo "  server's open descriptors: $(ls /proc/$pid/fd | wc -l)"
./flood call -url "$endpoint" -key "$key_id" -secret "$secret" -n 5 | sed 's/^/  /'
wait "$a" "$b"
cat "$work/idle1" "$work/idle2" | grep closed | sed 's/^/  idle: /'
echo "idle connections: peak RSS $(stop_sampling) MB; RSS after $(rss) MB"
./flood call -url "$endpoint" -key "$key_id" -secret "$secret" -n 3 | sed 's/^/  after: /'
