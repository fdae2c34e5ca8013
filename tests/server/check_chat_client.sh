#!/usr/bin/env bash
# The chat API under the official openai npm client: two fixture partners behind racetimingd
# (tests/support/fixture_daemon.sh), tests/server/chat_client.mjs against it.
# Usage: check_chat_client.sh RACETIMINGD CLI SHARED_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/fixture_daemon.sh"
fixture_daemon "$1" "$2" "$3" big-river mid-hudson -- --pool 4 --jwt-key "chat:$(printf 'k%.0s' $(seq 40))"
export KEY_A=${keys[1]} KEY_B=${keys[2]} FIXTURE_A="$3/fixtures/big-river.csv"
RACETIMINGD_URL=$base node "$here/chat_client.mjs"
