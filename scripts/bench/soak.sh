#!/usr/bin/env bash
# The soak (not part of scripts/test.sh): two 'iamq serve' nodes on one
# throwaway PostgreSQL at a fixed mixed load of 200 calls/s, loopback only.
# It reports throughput, p50/p99, errors (only 503s allowed) and each node's
# resident memory in the first and the last minute (within 10 %).
#
#   scripts/bench/soak.sh [DURATION]   # default 10m; needs the PostgreSQL binaries
set -euo pipefail
cd "$(dirname "$0")/../.."
IAMQ_SOAK=${1:-10m} go test -count=1 -timeout 0 -v -run '^TestNodesSoak$' ./cmd/iamq/ | grep -E 'soak|resident|FAIL|PASS|ok'
