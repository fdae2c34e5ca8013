#!/usr/bin/env bash
# The OpenAPI documents as a tool server sees them: the trimmed tools document validates (with the same
# validator as the full one), and in both every operation has an operationId, a summary, and a
# description on every parameter; the tools document holds nl-query and the reads, and nothing that
# writes. Usage: check_tool_server.sh <daemon-base-url>
set -euo pipefail
base=${1%/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
node "$here/validate_openapi.mjs" "$base/api/v1/openapi-tools.json"
node --input-type=module - "$base" <<'JS'
const base = process.argv[2];
const problems = [];
for (const name of ['openapi.json', 'openapi-tools.json']) {
  const doc = await (await fetch(`${base}/api/v1/${name}`)).json();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const where = `${name} ${method.toUpperCase()} ${path}`;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      if (!op.summary) problems.push(`${where}: no summary`);
      for (const p of op.parameters ?? []) if (!p.description) problems.push(`${where}: parameter ${p.name} has no description`);
    }
  if (name === 'openapi-tools.json') {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    for (const want of ['POST /api/v1/nl-query', 'GET /api/v1/results', 'GET /api/v1/events', 'GET /api/v1/races/{race_id}/results',
                        'GET /api/v1/reports/awards', 'GET /api/v1/analytics/performance'])
      if (!ops.includes(want)) problems.push(`tools document lacks ${want}`);
    for (const op of ops) if (!op.startsWith('GET ') && op !== 'POST /api/v1/nl-query') problems.push(`tools document has ${op}`);
    console.log(`tools document: ${ops.length} operations`);
  }
}
if (problems.length) {
  for (const p of problems) console.log(`FAIL ${p}`);
  process.exit(1);
}
console.log('tool server: every operation named, summarised and its parameters described');
JS
