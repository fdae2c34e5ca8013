#!/usr/bin/env bash
# Runs the examples and checks what they print. Usage: check_examples.sh CLI EXAMPLES_DIR SHARED_DIR [PYTHON PYTHONPATH]
# The C++ examples run against seeded demo data and the shared fixture; notebook.py runs when a Python
# with the module is given.
set -euo pipefail
cli=$1 examples=$2 shared=$3 python=${4:-} pythonpath=${5:-}
here=$(cd "$(dirname "$0")/../../examples" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db="sqlite:$work/demo.db"
"$cli" --db "$db" seed --scale demo >/dev/null

echo "== top_finishers"
out=$("$examples/top_finishers" "$db" 1 3)
echo "$out"
[[ $(grep -c '^[0-9]*\. ' <<<"$out") -eq 3 ]] || fail "expected three ranked finishers"
grep -q '^1\. ' <<<"$out" || fail "expected the winner first"
if "$examples/top_finishers" "sqlite:$work/none/x.db" 1 2>/dev/null; then fail "a missing database must fail"; fi
if "$examples/top_finishers" "$db" 999 2>/dev/null; then fail "an unknown partner must fail"; fi

echo "== embed (the big-river fixture: answers as shared/nl/examples*.tsv give them)"
out=$("$examples/embed" "$work/embed.db" "$shared/fixtures/big-river.csv")
echo "$out"
grep -q '^imported 10470 rows: 10470 new, 0 changed, 0 unchanged$' <<<"$out" || fail "embed: import line"
grep -A1 'our races in 2023' <<<"$out" | grep -q '2,893' || grep -A1 'our races in 2023' <<<"$out" | grep -q '2893' || fail "embed: 2893 finishers in 2023"
grep -A1 'average finish time at the Boston' <<<"$out" | grep -q '4:07:00' || fail "embed: average 4:07:00 at Boston"
[[ $(grep -c '^A: ' <<<"$out") -eq 3 ]] || fail "embed: three answers"
out=$("$examples/embed" "$work/embed.db" "$shared/fixtures/big-river.csv" "What is the phone number of the Boston Marathon winner?")
grep -q '^imported 10470 rows: 0 new, 0 changed, 10470 unchanged$' <<<"$out" || fail "embed: a second import changes nothing"
grep -q '^not answered: ' <<<"$out" || fail "embed: a question it cannot answer is refused"
if "$examples/embed" "$work/embed.db" "$work/missing.csv" 2>/dev/null; then fail "embed: a missing CSV must fail"; fi

echo "== ask"
out=$("$examples/ask" "$db" 1 "How many DNFs were there in the Boston Marathon in 2025?")
echo "$out"
[[ $(head -n1 <<<"$out") == *DNF* || $(head -n1 <<<"$out") == *[0-9]* ]] || fail "ask: a sentence first"
expected=$("$cli" --db "$db" ask --partner 1 --format csv --today 2026-11-25 "How many DNFs were there in the Boston Marathon in 2025?")
[[ $(tail -n +3 <<<"$out") == "$expected" ]] || fail "ask: the rows differ from the CLI's ($expected)"
set +e
"$examples/ask" "$db" 1 "Who will win the Boston Marathon next year?" 2>"$work/err"
status=$?
set -e
[[ $status -eq 3 ]] || fail "ask: a refusal exits 3, got $status"
[[ -s "$work/err" ]] || fail "ask: a refusal says why"

if [[ -n "$python" ]]; then
  echo "== notebook.py"
  out=$(PYTHONPATH="$pythonpath" MPLBACKEND=Agg "$python" "$here/notebook.py" "$work/nb.db" "$shared/fixtures/big-river.csv" "$work/hist.png")
  echo "$out"
  grep -q '^imported 10470 entries' <<<"$out" || fail "notebook: import line"
  grep -q '73' <<<"$out" || fail "notebook: 73 under 3 hours"
  grep -q 'finish times of the Boston Marathon' <<<"$out" || fail "notebook: histogram title"
  grep -Eq '^ *[0-9]:[0-9]{2} .*[#] [0-9]+$|^saved ' <<<"$out" || fail "notebook: a histogram (text or picture)"
fi
echo "examples: all ran as expected"
