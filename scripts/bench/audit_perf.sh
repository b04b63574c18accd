#!/usr/bin/env bash
# The decision log's share of `iamq serve`'s CPU samples (issue 23; not part
# of scripts/test.sh): the server (log on unless flags say otherwise) pinned
# to the last CPU, wrk -t2 -c32 of audit.sh's signed iam:GetUser on the
# others, `perf record -e cpu-clock -F 2000 -g` for 6 s in the middle of a
# 9 s run, then `perf report --children --sort symbol -g none`. Prints one
# line: wrk's calls per second and the shares (children) of the writer
# (audit.(*Log).Run), the request path's record (server.(*Server).record),
# the store write (sqlstore AppendAudit), encoding, and the collector's mark
# workers. Needs perf and wrk; run as a user perf may attach with.
#
#   IAMQ_BIN=/tmp/iamq-X scripts/bench/audit_perf.sh LABEL [serve flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/scripts/bench"
# shellcheck source=serve.bash
source "$bench/serve.bash"
label=${1:-run}
shift || true
work=$(mktemp -d /tmp/iamq-bench-auditperf.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${IAMQ_BIN:-}" ]; then cp "$IAMQ_BIN" "$work/iamq"; else (cd "$root" && go build -o "$work/iamq" ./cmd/iamq); fi
last=$(($(nproc) - 1))
(cd "$work" && exec taskset -c "$last" ./iamq serve --addr 127.0.0.1:0 --data-dir "$work/data" "$@" >"$work/out" 2>"$work/err") &
pid=$!
endpoint=$(iamq_endpoint "$work")
bench_request "$endpoint" "$work/data/credentials" "Action=GetUser&Version=2010-05-08" >"$work/request.lua"
taskset -c "0-$((last - 1))" wrk -t2 -c32 -d9s -s "$work/request.lua" "$endpoint/" >"$work/wrk.out" &
wpid=$!
sleep 1.5
perf record -q -e cpu-clock -F 2000 -g -p "$pid" -o "$work/perf.data" -- sleep 6 >/dev/null 2>&1
wait "$wpid"
perf report -i "$work/perf.data" --children --sort symbol -g none --stdio 2>/dev/null >"$work/report.txt"
pick() { grep -E '^ +[0-9.]+%' "$work/report.txt" | grep -F "$1" | head -1 | awk '{print $1}'; }
echo "$label rps=$(sed -n 's/^Requests\/sec: *//p' "$work/wrk.out") Run=$(pick 'audit.(*Log).Run') record=$(pick 'server.(*Server).record')" \
	"Append=$(pick 'sqlstore.(*Engine).AppendAudit') encode=$(pick 'encoder).encode') gc=$(pick 'gcBgMarkWorker')"
