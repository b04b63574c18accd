#!/usr/bin/env bash
# The whole test suite, on a fresh machine of this kind: installs and starts
# what the tests need (a throwaway PostgreSQL), then runs go vet, gofmt, every
# Go test with the race detector, and the end-to-end scripts in scripts/e2e.
# Benchmarks, long fuzzing and scale runs are not here: see scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

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
pgport=${IAMQ_TEST_PGPORT:-55432}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap cleanup EXIT
log "starting PostgreSQL on 127.0.0.1:$pgport"
run_pg "$PGBIN/initdb" -D "$pgdir/data" -U postgres -A trust >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
	-o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export IAMQ_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"

log "go vet"
go vet ./...
log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi

log "go test -race"
go test -race -count=1 ./...
# Under the race detector TestManaged samples one AWS managed policy version
# in ten; without it, it parses and validates all of them (issue 2).
log "every AWS managed policy version, without the race detector"
go test -count=1 -run '^TestManaged$' ./policy/
# Likewise the stores' account quotas: filling an account with 5,000 users
# takes the race detector minutes, so under it only groups are filled.
log "account quotas of both stores, without the race detector"
go test -count=1 -run '/AccountQuotas' ./internal/store/sqlite/ ./internal/store/postgres/

for script in scripts/e2e/*.sh; do
	[ -e "$script" ] || continue
	log "end to end: $script"
	bash "$script"
done
log "all tests passed"
