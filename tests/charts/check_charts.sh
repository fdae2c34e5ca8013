#!/usr/bin/env bash
# Charts in a browser: the big-river fixture in a fresh SQLite database, racetimingd on a free loopback
# port, then check_charts.py renders each format=svg answer in headless Chromium.
# Usage: check_charts.sh RACETIMINGD CLI SHARED_DIR
set -euo pipefail
daemon=$1 cli=$2 shared=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite:$work/charts.db"
"$cli" --db "$db" db migrate >/dev/null
"$cli" --db "$db" partners add --name "Big River Race Management" --slug big-river >/dev/null
"$cli" --db "$db" import --partner 1 "$shared/fixtures/big-river.csv" >/dev/null
key=$("$cli" --db "$db" keys create --partner 1 --json | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
: >"$work/daemon.err"
"$daemon" --db "$db" --listen 127.0.0.1:0 --threads 2 --pool 2 --quiet 2>"$work/daemon.err" &
pid=$!
port=""
for _ in $(seq 150); do
  port=$(sed -n 's/^racetimingd: serving .*:\([0-9][0-9]*\)$/\1/p' "$work/daemon.err" | head -1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { cat "$work/daemon.err"; exit 1; }
python3 "$here/check_charts.py" "http://127.0.0.1:$port" "$key" 1
