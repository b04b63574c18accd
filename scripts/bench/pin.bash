# Sourced by the load benchmarks: the load generator and the server share
# this machine, so unless IAMQ_BENCH_PIN=0 each gets its own cores (taskset):
# the server the last CPU, wrk the others. Latencies wrk measures are then
# the server's, not the two fighting for the same cores. Go sizes GOMAXPROCS
# to the CPUs a process may run on, so the server runs with GOMAXPROCS=1.
pin_server=() pin_wrk=()
if [ "${IAMQ_BENCH_PIN:-1}" != 0 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	last=$(($(nproc) - 1))
	pin_server=(taskset -c "$last")
	pin_wrk=(taskset -c "0-$((last - 1))")
	echo "server pinned to CPU $last, wrk to CPUs 0-$((last - 1)) (IAMQ_BENCH_PIN=0 to share all)"
fi
