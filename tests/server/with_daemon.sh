#!/usr/bin/env bash
# Runs one command against a throwaway racetimingd:
#   tests/server/with_daemon.sh <path/to/racetimingd> <command> [args...]
# Starts the daemon on 127.0.0.1 with a kernel-chosen port and a fresh SQLite database in a temp
# dir, replaces every "{base}" in the arguments by its base URL (also exported as
# RACETIMINGD_URL), runs the command, then stops the daemon with SIGTERM. Exits with the
# command's status (or 1 when the daemon does not start).
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 <racetimingd> <command> [args...]   ({base} in args = daemon base URL)" >&2
  exit 2
fi
daemon=$1; shift
[[ -x $daemon ]] || { echo "with_daemon: $daemon is not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# created before the daemon starts: the background shell opens its redirections only when it gets to run,
# and the wait below must not read a file that is not there yet (under `set -e` that ended the script)
: >"$tmp/daemon.out"
: >"$tmp/daemon.err"
"$daemon" --db "sqlite:$tmp/racetiming.db" --listen 127.0.0.1:0 --threads 2 --pool 2 --quiet \
  >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
pid=$!

port=""
for _ in $(seq 150); do  # up to 15 s
  port=$(sed -n 's/^racetimingd: serving .*:\([0-9][0-9]*\)$/\1/p' "$tmp/daemon.err" | head -1)
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "with_daemon: racetimingd did not start:" >&2
  cat "$tmp/daemon.err" >&2
  exit 1
fi

export RACETIMINGD_URL=http://127.0.0.1:$port
args=()
for a in "$@"; do args+=("${a//\{base\}/$RACETIMINGD_URL}"); done
status=0
"${args[@]}" || status=$?
if ((status)); then
  echo "with_daemon: command failed ($status); daemon stderr:" >&2
  tail -20 "$tmp/daemon.err" >&2
fi
exit "$status"
