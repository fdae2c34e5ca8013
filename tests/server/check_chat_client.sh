#!/usr/bin/env bash
# The chat API under the official openai npm client: two fixture partners in a fresh SQLite database,
# racetimingd on a free loopback port, tests/server/chat_client.mjs against it.
# Usage: check_chat_client.sh RACETIMINGD CLI SHARED_DIR
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
db="sqlite:$work/chat.db"
"$cli" --db "$db" db migrate >/dev/null
"$cli" --db "$db" partners add --name "Big River Race Management" --slug big-river >/dev/null
"$cli" --db "$db" partners add --name "Mid-Hudson Road Runners" --slug mid-hudson >/dev/null
"$cli" --db "$db" import --partner 1 "$shared/fixtures/big-river.csv" >/dev/null
"$cli" --db "$db" import --partner 2 "$shared/fixtures/mid-hudson.csv" >/dev/null
key() { "$cli" --db "$db" keys create --partner "$1" --json | sed -E 's/.*"api_key":"([^"]+)".*/\1/'; }
export KEY_A=$(key 1) KEY_B=$(key 2) FIXTURE_A="$shared/fixtures/big-river.csv"
: >"$work/daemon.err"
"$daemon" --db "$db" --listen 127.0.0.1:0 --threads 2 --pool 4 --quiet --jwt-key "chat:$(printf 'k%.0s' $(seq 40))" \
  2>"$work/daemon.err" &
pid=$!
port=""
for _ in $(seq 150); do
  port=$(sed -n 's/^racetimingd: serving .*:\([0-9][0-9]*\)$/\1/p' "$work/daemon.err" | head -1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { cat "$work/daemon.err"; exit 1; }
RACETIMINGD_URL=http://127.0.0.1:$port node "$here/chat_client.mjs"
