# Sourced by test scripts that talk to racetimingd over the shared fixtures: a fresh SQLite database in
# a temp dir with the fixture partners, a key per partner, and the daemon on a free loopback port,
# stopped (and the dir removed) when the script exits.
#   fixture_daemon DAEMON CLI SHARED FIXTURE... [-- DAEMON_FLAGS...]
# FIXTURE is big-river or mid-hudson: each becomes the next partner (1, 2, ...) with its fixture CSV.
# Sets: db, port, keys (array, keys[1] is partner 1's), base (http://127.0.0.1:PORT).
fixture_work=$(mktemp -d)
fixture_pid=""
fixture_cleanup() {
  [[ -n $fixture_pid ]] && kill -TERM "$fixture_pid" 2>/dev/null && wait "$fixture_pid" 2>/dev/null
  rm -rf "$fixture_work"
}
trap fixture_cleanup EXIT

fixture_daemon() {
  local daemon=$1 cli=$2 shared=$3 partner=0
  shift 3
  db="sqlite:$fixture_work/fixtures.db"
  keys=("")
  "$cli" --db "$db" db migrate >/dev/null
  while (($#)) && [[ $1 != -- ]]; do
    partner=$((partner + 1))
    case $1 in
      big-river) "$cli" --db "$db" partners add --name "Big River Race Management" --slug big-river >/dev/null ;;
      mid-hudson) "$cli" --db "$db" partners add --name "Mid-Hudson Road Runners" --slug mid-hudson >/dev/null ;;
      *) echo "fixture_daemon: no fixture $1" >&2; return 2 ;;
    esac
    "$cli" --db "$db" import --partner "$partner" "$shared/fixtures/$1.csv" >/dev/null
    keys+=("$("$cli" --db "$db" keys create --partner "$partner" --json | sed -E 's/.*"api_key":"([^"]+)".*/\1/')")
    shift
  done
  [[ ${1:-} == -- ]] && shift
  : >"$fixture_work/daemon.err"
  "$daemon" --db "$db" --listen 127.0.0.1:0 --threads 2 --quiet "$@" 2>"$fixture_work/daemon.err" &
  fixture_pid=$!
  port=""
  for _ in $(seq 150); do  # up to 15 s
    port=$(sed -n 's/^racetimingd: serving .*:\([0-9][0-9]*\)$/\1/p' "$fixture_work/daemon.err" | head -1)
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { cat "$fixture_work/daemon.err" >&2; return 1; }
  base=http://127.0.0.1:$port
}
