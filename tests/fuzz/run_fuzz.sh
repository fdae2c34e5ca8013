#!/usr/bin/env bash
# ctest's nl_fuzz: runs a libFuzzer target for a bounded time over a copy of its seed corpus (the
# repository is not written to). New inputs go to the copy; a crashing input goes to ARTIFACTS/ and
# fails the test, with the input's path and the stack in the output.
# Usage: run_fuzz.sh FUZZER SEED_DIR ARTIFACTS   (RACETIMING_FUZZ_SECONDS: the run's length, default 60)
set -euo pipefail
fuzzer=$1 seeds=$2 artifacts=$3
seconds=${RACETIMING_FUZZ_SECONDS:-60}
if [[ ! -x $fuzzer ]]; then
  echo "nl_fuzz: $fuzzer is not built (ninja nl_parser_fuzz)" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/racetiming-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$seeds"/. "$work/"
mkdir -p "$artifacts"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# -error_exitcode: libFuzzer's default (77) is ctest's "skipped" code for this test, so a crash read as a skip
"$fuzzer" -max_total_time="$seconds" -max_len=2048 -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -error_exitcode=1 \
  -artifact_prefix="$artifacts/" "$work" "$seeds"
