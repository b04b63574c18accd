#!/usr/bin/env bash
# The whole test suite, on a fresh machine of this kind: installs and starts
# what the tests need (a throwaway PostgreSQL), then runs go vet, gofmt, every
# Go test with the race detector, and the end-to-end scripts in scripts/e2e.
# Each step's heading says how many seconds the run had taken when it began.
# Benchmarks, long fuzzing and scale runs are not here: see scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n== %s (at %d s)\n' "$*" "$SECONDS"; }

# --- PostgreSQL: installed from Debian's packages when missing, run as the
# postgres user (initdb refuses root) in a temporary directory.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
	log "installing postgresql"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(pg_bin)
pgdir=$(mktemp -d /tmp/iamq-pg.XXXXXX)
chown postgres:postgres "$pgdir"
# A port the kernel says is free (a fixed one collides with another test run
# or a PostgreSQL already there); IAMQ_TEST_PGPORT overrides it.
free_port() {
	if command -v python3 >/dev/null; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
		return
	fi
	local p
	while p=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do :; done
	echo "$p"
}
pgport=${IAMQ_TEST_PGPORT:-$(free_port)}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# On failure the PostgreSQL log's tail is printed and the log kept, since
# a store test failing may be the server's doing.
cleanup() {
	status=$?
	run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
	if [ "$status" != 0 ] && [ -s "$pgdir/log" ]; then
		kept=$(mktemp /tmp/iamq-pg-log.XXXXXX)
		cp "$pgdir/log" "$kept"
		printf '\n== tests failed (exit %s): the last lines of the PostgreSQL log, kept whole in %s\n' "$status" "$kept"
		tail -n 40 "$kept"
	fi
	rm -rf "$pgdir"
}
trap cleanup EXIT
log "starting PostgreSQL on 127.0.0.1:$pgport"
run_pg "$PGBIN/initdb" -D "$pgdir/data" -U postgres -A trust >/dev/null
# The server's start can fail too (the port taken between free_port and
# here): its log says why.
if ! run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
	-o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
	echo "PostgreSQL did not start on port $pgport"
	exit 1
fi
export IAMQ_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"

# --- Chromium for the browser tests (internal/web) and Debian's feed parser
# for the feeds' end-to-end test, installed when missing. IAMQ_TEST_BROWSER
# makes the browser tests fail, not skip, without a Chromium; their
# screenshots go to IAMQ_SCREENSHOTS. (On this machine the install took 30 s,
# apt-get update included.)
if ! command -v chromium >/dev/null || ! /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
	log "installing chromium and python3-feedparser"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium python3-feedparser >/dev/null
fi
export IAMQ_TEST_BROWSER=1
export IAMQ_SCREENSHOTS=${IAMQ_SCREENSHOTS:-$(mktemp -d /tmp/iamq-screenshots.XXXXXX)}

log "go vet"
go vet ./...
log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
# Both modules tidy: a direct dependency marked // indirect (bench's cedar-go
# and opa were) misleads whoever reads go.mod.
log "go mod tidy -diff"
go mod tidy -diff
(cd bench && go mod tidy -diff)

log "go test -race"
go test -race -count=1 ./...
# Under the race detector TestManaged samples one AWS managed policy version
# in ten; without it, it parses and validates all of them (issue 2).
log "every AWS managed policy version, without the race detector"
go test -count=1 -run '^TestManaged$' ./policy/
# Likewise the audit of every AWS managed policy's updates (issue 16): the
# whole replay, compared with docs/managed-policy-audit.md, runs only here.
log "every AWS managed policy update replayed (docs/managed-policy-audit.md)"
IAMQ_AUDIT=full go test -count=1 -timeout 20m -run '^TestAudit$' ./internal/analysis/
# Likewise the stores' account quotas: filling an account with 5,000 users
# takes the race detector minutes, so under it only groups are filled.
log "account quotas of both stores, without the race detector"
go test -count=1 -run '/AccountQuotas' ./internal/store/sqlite/ ./internal/store/postgres/
# Three nodes under load while PostgreSQL restarts and one node is killed -9
# (30 s; its own PostgreSQL server, which it restarts).
log "many nodes on one PostgreSQL under faults, without the race detector"
go test -count=1 -run '^TestNodesFault$' ./cmd/iamq/

for script in scripts/e2e/*.sh; do
	[ -e "$script" ] || continue
	log "end to end: $script"
	bash "$script"
done
log "browser screenshots are in $IAMQ_SCREENSHOTS"
log "all tests passed"
