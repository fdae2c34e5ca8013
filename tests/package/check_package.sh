#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds examples/partner_app against it with
# find_package(racetiming) and runs it on the shared fixture, and compiles the same program with
# pkg-config alone. Usage: check_package.sh BUILD_DIR PARTNER_APP_DIR SHARED_DIR
set -euo pipefail
build=$1 app=$2 shared=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cmake --install "$build" --prefix "$work/prefix" >/dev/null
[[ -f "$work/prefix/include/racetiming/racetiming.hpp" ]] || fail "the umbrella header is not installed"
[[ ! -e "$work/prefix/include/racetiming/nl/sql_guard.hpp" ]] || fail "an internal header is installed"
cmake -S "$app" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
libs="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu"
check() {
  local out
  out=$(LD_LIBRARY_PATH="$libs" "$1" "sqlite:$work/app.db" "$shared/fixtures/big-river.csv")
  echo "$out"
  grep -q '^entries: 10470$' <<<"$out" || fail "$1: entries"
  grep -q '^2024-04-15 Boston Marathon$' <<<"$out" || fail "$1: the events list"
  grep -q '2024' <<<"$(tail -n1 <<<"$out")" || fail "$1: the answer"
}
check "$work/build/partner_app"
pc_dir=$(dirname "$(find "$work/prefix" -name racetiming.pc | head -n1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs racetiming)
c++ -std=c++20 $flags -o "$work/pc-app" "$app/main.cpp" $flags
rm -f "$work/app.db"
check "$work/pc-app"
echo "package: partner_app built with find_package and with pkg-config, and ran"
