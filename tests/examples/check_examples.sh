#!/usr/bin/env bash
# Runs the examples against freshly seeded demo data. Usage: check_examples.sh CLI EXAMPLES_DIR
set -euo pipefail
cli=$1 examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="sqlite:$work/demo.db"
"$cli" --db "$db" seed --scale demo >/dev/null
out=$("$examples/top_finishers" "$db" 1 3)
echo "$out"
[[ $(grep -c '^[0-9]*\. ' <<<"$out") -eq 3 ]] || { echo "expected three ranked finishers"; exit 1; }
grep -q '^1\. ' <<<"$out" || { echo "expected the winner first"; exit 1; }
if "$examples/top_finishers" "sqlite:$work/none/x.db" 1 2>/dev/null; then echo "a missing database must fail"; exit 1; fi
