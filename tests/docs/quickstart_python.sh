#!/usr/bin/env bash
# docs/quickstart-python.md: pip installs the module offline into a fresh virtual environment, then the
# page's program runs. Usage: quickstart_python.sh PYTHON SOURCE_DIR CMAKE_BUILD_DIR SHARED_DIR
# (CMAKE_BUILD_DIR keeps the module's compilation between runs; the page does not need it.)
set -euo pipefail
python=$1 src=$2 cmake_build=$3 shared=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$shared/fixtures/big-river.csv" "$work/"
export CCACHE_BASEDIR="$src" RACETIMING_BUILD_DIR="$cmake_build" RACETIMING_CHECKOUT="$src"
# the page's python3 is Debian's (another one first on PATH, e.g. pyenv's, sees none of Debian's packages)
export PATH="$(dirname "$python"):$PATH"
"$python" "$(dirname "$0")/run_quickstart.py" "$src/docs/quickstart-python.md" "$work"
ls "$work"/rt-venv/lib/python3*/site-packages/racetiming/_racetiming.pyi "$work"/rt-venv/lib/python3*/site-packages/racetiming/py.typed >/dev/null ||
  { echo "FAIL: the type stubs were not installed"; exit 1; }
