# Sourced by the daemon benchmarks: the throwaway PostgreSQL's processes (its data directory in $pgdir)
# pinned to cores, and CPU time read from /proc, as clock ticks and per request.

# The postmaster and its children now; backends forked later inherit the postmaster's cores.
postgres_pids() {
  local postmaster
  postmaster=$(head -1 "$pgdir/data/postmaster.pid")
  echo "$postmaster" $(pgrep -P "$postmaster")
}
pin_postgres() { for pid in $(postgres_pids); do taskset -a -p -c "$1" "$pid" >/dev/null; done; }
# User and system ticks of the processes whose /proc/PID/stat files are given, summed.
ticks() { awk '{s += $14 + $15} END {print s + 0}' "$@" 2>/dev/null; }
postgres_ticks() { ticks $(for pid in $(postgres_pids); do echo "/proc/$pid/stat"; done); }
# per_request_us TICKS REQUESTS
per_request_us() { echo $(( $1 * 1000000 / $(getconf CLK_TCK) / $2 )); }
