#!/usr/bin/env bash
# Acceptance check: the daemon's Swagger UI at <base>/docs renders every API operation.
#   tests/server/check_docs_ui.sh <daemon-base-url> <expected-operation-count>
# Loads <base>/docs in headless Chromium (all non-local host names are made unresolvable, so a
# page that depends on a CDN fails), dumps the rendered DOM and counts the operation blocks
# Swagger UI draws: one <span class="opblock-summary-path" data-path="..."> (or
# "opblock-summary-path__deprecated") per operation and tag. Passes when the number of distinct
# METHOD+path pairs equals the expected count ("openapi": the count the served document declares). Env: DOCS_SCREENSHOT=FILE also saves a PNG;
# CHROMIUM=path overrides the browser binary.
set -euo pipefail

if (($# != 2)) || ! [[ $2 =~ ^([0-9]+|openapi)$ ]]; then
  echo "usage: $0 <daemon-base-url> <expected-operation-count>" >&2
  exit 2
fi
base=${1%/}
expected=$2
# "openapi": as many operations as the served document declares
if [[ $expected == openapi ]]; then
  expected=$(curl -fsS "${1%/}/api/v1/openapi.json" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).paths;let n=0;for(const k in p)n+=Object.keys(p[k]).length;console.log(n)})')
fi
url=$base/docs

die() { echo "check_docs_ui: FAIL: $*" >&2; exit 1; }

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null; then browser=$b; break; fi
  done
fi
if [[ -z $browser ]] || ! command -v "$browser" >/dev/null; then
  die "chromium not found${browser:+ ($browser)} (run scripts/web-deps)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

host=${base#*://}; host=${host%%/*}; host=${host%:*}; host=${host#[}; host=${host%]}
flags=(
  --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage
  --disable-background-networking --disable-component-update --disable-sync --no-first-run
  --disable-extensions --hide-scrollbars
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE $host"
  --virtual-time-budget=15000
)

run_browser() { # profile-dir-name, extra args...
  local profile=$tmp/$1; shift
  mkdir -p "$profile"
  timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile" "$@" 2>>"$tmp/chromium.log"
}

if ! run_browser dom --dump-dom "$url" >"$tmp/dom.html"; then
  tail -20 "$tmp/chromium.log" >&2
  die "chromium failed to load $url"
fi

if [[ -n ${DOCS_SCREENSHOT:-} ]]; then
  mkdir -p "$(dirname "$DOCS_SCREENSHOT")"
  rm -f "$DOCS_SCREENSHOT"
  (cd "$tmp" && run_browser shot --window-size=1280,2000 --screenshot="$(realpath -m "$DOCS_SCREENSHOT")" "$url") >/dev/null ||
    echo "check_docs_ui: warning: screenshot failed" >&2
  [[ -s $DOCS_SCREENSHOT ]] && echo "check_docs_ui: screenshot saved to $DOCS_SCREENSHOT"
fi

dom=$tmp/dom.html
[[ -s $dom ]] || die "empty DOM from $url (daemon not reachable?)"
grep -q 'id="swagger-ui"' "$dom" || die "$url is not the Swagger UI page (no #swagger-ui element)"

if grep -q 'Failed to load API definition' "$dom"; then
  detail=$(perl -0ne 'print "$1\n" while /<(?:pre|p|div)[^>]*class="[^"]*error[^"]*"[^>]*>(.*?)<\/(?:pre|p|div)>/gs' "$dom" |
    sed 's/<[^>]*>/ /g; s/  */ /g' | head -5)
  die "Swagger UI says 'Failed to load API definition' ${detail:+($detail)}"
fi
if grep -q 'class="errors-wrapper"' "$dom"; then
  detail=$(perl -0ne 'print "$1\n" if /<pre class="errors-wrapper">(.*?)<\/pre>/s' "$dom" | sed 's/<[^>]*>/ /g; s/  */ /g' | head -c 600)
  die "Swagger UI shows errors for the API definition: $detail"
fi

# raw = rendered operation blocks (an operation with N tags is drawn N times);
# unique = distinct METHOD path pairs among them.
read -r raw unique < <(perl -0ne '
  my ($raw, %seen) = (0);
  while (/class="opblock-summary-method">\s*(\w+)\s*<\/span>.*?class="opblock-summary-path(?:__deprecated)?" data-path="([^"]*)"/gs) {
    $raw++; $seen{uc($1) . " " . $2} = 1;
  }
  printf "%d %d\n", $raw, scalar keys %seen;' "$dom")
blocks=$(grep -o 'class="opblock-summary-path\(__deprecated\)\?"' "$dom" | wc -l || true)
title=$(perl -0ne 'print $1 if /<h[12] class="title">\s*([^<]*?)\s*</s' "$dom")

echo "check_docs_ui: $url: title '${title}', $blocks operation blocks, $unique distinct operations (expected $expected)"
((blocks == raw)) || die "parsed $raw method/path pairs but found $blocks opblock-summary-path elements (DOM layout changed?)"
((unique > 0)) || die "no operations rendered (Swagger UI assets not loaded, or docExpansion=\"none\" hides them)"
((unique == expected)) || die "rendered $unique distinct operations, expected $expected"
echo "check_docs_ui: PASS"
