#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds and runs a consumer with find_package(racetiming)
# and a one-line compile with pkg-config. Usage: check_package.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1 consumer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
out=$(LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu" "$work/build/consumer" "sqlite:$work/c.db")
[[ "$out" == 1 ]] || { echo "consumer printed '$out', expected 1"; exit 1; }
pc_dir=$(dirname "$(find "$work/prefix" -name racetiming.pc | head -n1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs racetiming)
c++ $flags -o "$work/pc-consumer" "$consumer/main.cpp" $flags
rm -f "$work/c.db"
out=$(LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu" "$work/pc-consumer" "sqlite:$work/c.db")
[[ "$out" == 1 ]] || { echo "pkg-config consumer printed '$out', expected 1"; exit 1; }
echo "package: find_package and pkg-config consumers built and ran"
