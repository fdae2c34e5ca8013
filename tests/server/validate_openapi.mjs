#!/usr/bin/env node
// Validates an OpenAPI 3.1 document: node validate_openapi.mjs <file-or-http-url>
//
// 1. Structural validation against the official OpenAPI 3.1 schema and $ref resolution
//    (@apidevtools/swagger-parser, pinned in tools/web/package.json).
// 2. Every embedded Schema Object checked against the JSON Schema 2020-12 meta-schema (Ajv);
//    swagger-parser only checks that these are objects/booleans.
// 3. Semantic rules the JSON schema cannot express: unique operationIds, every {param} in a
//    path template declared as an `in: path` parameter and vice versa, no duplicate parameters.
//
// Exit 0 printing "openapi: valid, N paths, M operations"; exit 1 printing each error.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const webDir = fileURLToPath(new URL('../../tools/web/', import.meta.url));
const require = createRequire(path.join(webDir, 'package.json'));

function fail(errors) {
  for (const e of errors) console.error(`openapi: error: ${e}`);
  console.error(`openapi: INVALID (${errors.length} error${errors.length === 1 ? '' : 's'})`);
  process.exit(1);
}

let SwaggerParser, Ajv2020;
try {
  SwaggerParser = require('@apidevtools/swagger-parser');
  Ajv2020 = require('ajv/dist/2020');
} catch (e) {
  fail([`cannot load validator from ${webDir}node_modules (run scripts/web-deps): ${e.message}`]);
}

const source = process.argv[2];
if (!source || process.argv.length > 3) {
  console.error('usage: node validate_openapi.mjs <file-or-http-url>');
  process.exit(2);
}

// ---- load ------------------------------------------------------------------------------------
let text, base;
if (/^https?:\/\//i.test(source)) {
  let res;
  try {
    res = await fetch(source, { signal: AbortSignal.timeout(15000) });
  } catch (e) {
    fail([`GET ${source}: ${e.cause?.message ?? e.message}`]);
  }
  text = await res.text();
  if (!res.ok) fail([`GET ${source}: HTTP ${res.status} ${res.statusText}`]);
  const ctype = res.headers.get('content-type') ?? '';
  if (!/json/i.test(ctype)) fail([`GET ${source}: Content-Type is "${ctype}", expected a JSON media type`]);
  base = source;
} else {
  try {
    text = await readFile(source, 'utf8');
  } catch (e) {
    fail([`cannot read ${source}: ${e.message}`]);
  }
  base = path.resolve(source);
}

let doc;
try {
  doc = JSON.parse(text);
} catch (e) {
  fail([`not valid JSON: ${e.message}`]);
}
if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(['document is not a JSON object']);
if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) {
  fail([`"openapi" is ${JSON.stringify(doc.openapi)}, expected a 3.1.x version string`]);
}

const errors = [];

// ---- 1. schema + $ref validation (swagger-parser dereferences in place: give it a copy) --------
let deref = null;
try {
  deref = await SwaggerParser.validate(base, structuredClone(doc), {
    resolve: { external: true },
    dereference: { circular: true },
  });
} catch (e) {
  for (const line of String(e.message).split('\n')) if (line.trim()) errors.push(line.trim());
}

// ---- 2. embedded Schema Objects against the JSON Schema 2020-12 meta-schema -----------------
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const OAS_DIALECT = /^https:\/\/spec\.openapis\.org\/oas\/3\.1\/dialect\//;
const checkSchemas = doc.jsonSchemaDialect === undefined || OAS_DIALECT.test(doc.jsonSchemaDialect) ||
  doc.jsonSchemaDialect === 'https://json-schema.org/draft/2020-12/schema';
if (!checkSchemas) console.error(`openapi: note: jsonSchemaDialect ${doc.jsonSchemaDialect}: Schema Objects not checked`);
const esc = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkSchema(schema, ptr) {
  if (schema === undefined || !checkSchemas) return;
  if (typeof schema === 'boolean') return;
  if (!isObj(schema)) {
    errors.push(`${ptr}: schema must be an object or boolean`);
    return;
  }
  let target = schema;
  if (typeof schema.$schema === 'string') {
    if (OAS_DIALECT.test(schema.$schema)) {
      target = { ...schema };  // the OAS dialect is 2020-12 plus annotation keywords
      delete target.$schema;
    } else if (!ajv.getSchema(schema.$schema)) {
      console.error(`openapi: note: ${ptr}: dialect ${schema.$schema} not checked`);
      return;
    }
  }
  try {
    if (!ajv.validateSchema(target)) {
      for (const err of ajv.errors ?? []) {
        errors.push(`${ptr}${err.instancePath}: invalid JSON Schema: ${err.message}`);
      }
    }
  } catch (e) {
    errors.push(`${ptr}: cannot check JSON Schema: ${e.message}`);
  }
}
function checkContent(content, ptr) {
  if (!isObj(content)) return;
  for (const [mt, media] of Object.entries(content)) {
    if (isObj(media)) checkSchema(media.schema, `${ptr}/${esc(mt)}/schema`);
  }
}
function checkParamOrHeader(p, ptr) {
  if (!isObj(p)) return;
  checkSchema(p.schema, `${ptr}/schema`);
  checkContent(p.content, `${ptr}/content`);
}
function checkHeaders(headers, ptr) {
  if (!isObj(headers)) return;
  for (const [n, h] of Object.entries(headers)) checkParamOrHeader(h, `${ptr}/${esc(n)}`);
}
function checkResponse(r, ptr) {
  if (!isObj(r)) return;
  checkContent(r.content, `${ptr}/content`);
  checkHeaders(r.headers, `${ptr}/headers`);
}
function checkOperation(op, ptr) {
  if (!isObj(op)) return;
  (Array.isArray(op.parameters) ? op.parameters : []).forEach((p, i) =>
    checkParamOrHeader(p, `${ptr}/parameters/${i}`));
  if (isObj(op.requestBody)) checkContent(op.requestBody.content, `${ptr}/requestBody/content`);
  if (isObj(op.responses)) {
    for (const [code, r] of Object.entries(op.responses)) checkResponse(r, `${ptr}/responses/${esc(code)}`);
  }
}
function checkPathItems(items, ptr) {
  if (!isObj(items)) return;
  for (const [p, item] of Object.entries(items)) {
    if (!isObj(item)) continue;
    const ip = `${ptr}/${esc(p)}`;
    (Array.isArray(item.parameters) ? item.parameters : []).forEach((x, i) =>
      checkParamOrHeader(x, `${ip}/parameters/${i}`));
    for (const m of HTTP_METHODS) checkOperation(item[m], `${ip}/${m}`);
  }
}
const comps = isObj(doc.components) ? doc.components : {};
if (isObj(comps.schemas)) {
  for (const [n, s] of Object.entries(comps.schemas)) checkSchema(s, `#/components/schemas/${esc(n)}`);
}
for (const kind of ['parameters', 'headers']) {
  if (isObj(comps[kind])) {
    for (const [n, p] of Object.entries(comps[kind])) checkParamOrHeader(p, `#/components/${kind}/${esc(n)}`);
  }
}
if (isObj(comps.responses)) {
  for (const [n, r] of Object.entries(comps.responses)) checkResponse(r, `#/components/responses/${esc(n)}`);
}
if (isObj(comps.requestBodies)) {
  for (const [n, b] of Object.entries(comps.requestBodies)) {
    if (isObj(b)) checkContent(b.content, `#/components/requestBodies/${esc(n)}/content`);
  }
}
checkPathItems(doc.paths, '#/paths');
checkPathItems(doc.webhooks, '#/webhooks');
checkPathItems(comps.pathItems, '#/components/pathItems');

// ---- 3. semantic rules (on the dereferenced document, so $ref'd parameters count) -----------
let nPaths = 0;
let nOps = 0;
// Skipped when step 1 failed: unresolved $refs would only add noise.
const paths = isObj(deref?.paths) ? deref.paths : {};
const opIds = new Map();
for (const [p, item] of Object.entries(paths)) {
  nPaths++;
  if (!isObj(item)) continue;
  const ip = `#/paths/${esc(p)}`;
  const templ = [...p.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  if (new Set(templ).size !== templ.length) errors.push(`${ip}: path template repeats a parameter name`);
  const pathLevel = Array.isArray(item.parameters) ? item.parameters.filter(isObj) : [];
  for (const m of HTTP_METHODS) {
    const op = item[m];
    if (!isObj(op)) continue;
    nOps++;
    const op_ = `${ip}/${m}`;
    if (op.operationId !== undefined) {
      if (opIds.has(op.operationId)) {
        errors.push(`${op_}: duplicate operationId "${op.operationId}" (also at ${opIds.get(op.operationId)})`);
      } else {
        opIds.set(op.operationId, op_);
      }
    }
    const opLevel = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
    const seen = new Set();
    for (const prm of opLevel) {
      const key = `${prm.in}:${prm.name}`;
      if (seen.has(key)) errors.push(`${op_}: duplicate parameter ${prm.name} in ${prm.in}`);
      seen.add(key);
    }
    // operation-level parameters override path-level ones with the same name+location
    const effective = new Map();
    for (const prm of [...pathLevel, ...opLevel]) effective.set(`${prm.in}:${prm.name}`, prm);
    const declared = [...effective.values()].filter((x) => x.in === 'path').map((x) => x.name);
    for (const t of templ) {
      if (!declared.includes(t)) errors.push(`${op_}: path parameter {${t}} is not declared in parameters`);
    }
    for (const d of declared) {
      if (!templ.includes(d)) errors.push(`${op_}: parameter "${d}" (in: path) does not appear in the path template`);
    }
  }
}

if (errors.length) fail(errors);
console.log(`openapi: valid, ${nPaths} paths, ${nOps} operations`);
