#!/usr/bin/env bash
# `pip install ./bindings/python` offline (no index, no build isolation: Debian's setuptools, wheel and
# pybind11), into a temporary target, then the installed module imports a fixture and answers.
# Usage: check_python_package.sh PYTHON SOURCE_DIR CMAKE_BUILD_DIR SHARED_DIR
set -euo pipefail
python=$1 src=$2 cmake_build=$3 shared=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CCACHE_BASEDIR="$src"
RACETIMING_BUILD_DIR="$cmake_build" "$python" -m pip install --quiet --no-build-isolation --no-index \
  --target "$work/site" "$src/bindings/python"
[[ -f "$work/site/racetiming/_racetiming.pyi" && -f "$work/site/racetiming/py.typed" ]] || { echo "stubs not installed"; exit 1; }
cd "$work"
out=$(PYTHONPATH="$work/site" "$python" - "$shared/fixtures/mid-hudson.csv" <<'PY'
import sys
import racetiming
engine = racetiming.Engine("sqlite:installed.db")
partner = engine.add_partner("Mid-Hudson Road Runners", "mid-hudson")
print(engine.import_csv(partner, sys.argv[1])["created"])
print(engine.ask(partner, "How many runners finished the Turkey Trot 5K in 2024?")["rows"])
try:
    engine.ask(partner, "What is the email address of the Turkey Trot winner?")
except racetiming.Refused as refusal:
    print("refused", refusal.code)
PY
)
echo "$out"
[[ "$out" == $'3300\n[{\'count\': 755}]\nrefused nl_unsupported' ]] || { echo "unexpected output from the installed module"; exit 1; }
echo "python package: installed offline with pip and ran"
