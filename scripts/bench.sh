#!/usr/bin/env bash
# Every Go benchmark of the main module (not part of the test command).
# Extra arguments go to `go test`, e.g. ./scripts/bench.sh -count 6 ./eval/
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- ./...; fi
exec go test -run '^$' -bench . -benchmem "$@"
