#!/usr/bin/env bash
# Charts in a browser: the big-river fixture behind racetimingd (tests/support/fixture_daemon.sh), then
# check_charts.py renders each format=svg answer in headless Chromium.
# Usage: check_charts.sh RACETIMINGD CLI SHARED_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/fixture_daemon.sh"
fixture_daemon "$1" "$2" "$3" big-river -- --pool 2
python3 "$here/check_charts.py" "$base" "${keys[1]}" 1
