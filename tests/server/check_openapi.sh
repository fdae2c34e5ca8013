#!/usr/bin/env bash
# Acceptance check: the daemon's OpenAPI document is a valid OpenAPI 3.1 document.
#   tests/server/check_openapi.sh <daemon-base-url>      e.g. http://127.0.0.1:8080
# Validates <base>/api/v1/openapi.json with validate_openapi.mjs, then runs negative controls
# (copies of the same document with deliberate errors) that the validator must REJECT, so this
# check can fail. Needs node and tools/web/node_modules (scripts/web-deps).
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 <daemon-base-url>" >&2
  exit 2
fi
base=${1%/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
validator=$here/validate_openapi.mjs
url=$base/api/v1/openapi.json

command -v node >/dev/null || { echo "check_openapi: FAIL: node not found (run scripts/web-deps)" >&2; exit 1; }
[[ -d $here/../../tools/web/node_modules/@apidevtools/swagger-parser ]] ||
  { echo "check_openapi: FAIL: tools/web/node_modules missing (run scripts/web-deps)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. the served document must be valid
if ! node "$validator" "$url"; then
  echo "check_openapi: FAIL: $url is not a valid OpenAPI 3.1 document" >&2
  exit 1
fi

# 2. negative controls: fetch the same document and break it in known ways
node -e '
  const [url, dir] = process.argv.slice(1);
  const fs = require("node:fs");
  (async () => {
    const doc = await (await fetch(url)).json();
    const write = (name, mutate) => {
      const d = structuredClone(doc);
      mutate(d);
      fs.writeFileSync(`${dir}/${name}.json`, JSON.stringify(d));
    };
    const firstOp = (d) => {
      for (const item of Object.values(d.paths ?? {}))
        for (const m of ["get", "put", "post", "delete", "patch", "head", "options", "trace"])
          if (item?.[m]) return item[m];
      throw new Error("document has no operations");
    };
    write("no-info", (d) => { delete d.info; });
    write("bad-responses", (d) => { firstOp(d).responses = { "200": { content: 42 } }; });
    write("dangling-ref", (d) => {
      firstOp(d).responses = { "200": { $ref: "#/components/responses/DoesNotExist_check_openapi" } };
    });
    write("openapi-3.0", (d) => { d.openapi = "3.0.3"; });
  })().catch((e) => { console.error(`check_openapi: cannot build negative controls: ${e.message}`); process.exit(1); });
' "$url" "$tmp" || { echo "check_openapi: FAIL: negative controls could not be built" >&2; exit 1; }

for f in "$tmp"/*.json; do
  name=$(basename "$f" .json)
  if node "$validator" "$f" >"$tmp/$name.log" 2>&1; then
    echo "check_openapi: FAIL: negative control '$name' was ACCEPTED by the validator" >&2
    cat "$tmp/$name.log" >&2
    exit 1
  fi
  echo "check_openapi: negative control '$name' rejected ($(grep -m1 -v 'validation failed\|INVALID' "$tmp/$name.log" | cut -c1-120))"
done
echo "check_openapi: PASS"
