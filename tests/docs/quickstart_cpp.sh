#!/usr/bin/env bash
# docs/quickstart-cpp.md against this build, installed into a scratch prefix.
# Usage: quickstart_cpp.sh PYTHON BUILD_DIR SOURCE_DIR SHARED_DIR
set -euo pipefail
python=$1 build=$2 src=$3 shared=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
mkdir "$work/hello"
cp "$shared/fixtures/big-river.csv" "$work/hello/"
RACETIMING_PREFIX="$work/prefix" "$python" "$(dirname "$0")/run_quickstart.py" "$src/docs/quickstart-cpp.md" "$work/hello"
