// The chat API driven by the official `openai` npm client, as OpenWebUI and other clients drive it.
// Expected numbers are worked out here from the fixture CSV, not asked of the engine.
//   node chat_client.mjs   (env: RACETIMINGD_URL, KEY_A (big-river), KEY_B (mid-hudson), FIXTURE_A)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(new URL('../../tools/web/package.json', import.meta.url));
const { OpenAI } = require('openai');

const base = process.env.RACETIMINGD_URL + '/v1';
const a = new OpenAI({ baseURL: base, apiKey: process.env.KEY_A, maxRetries: 0 });
const b = new OpenAI({ baseURL: base, apiKey: process.env.KEY_B, maxRetries: 0 });

// Boston Marathon finishers under 3 hours by gender, from the CSV
const [header, ...lines] = readFileSync(process.env.FIXTURE_A, 'utf8').trim().split('\n');
const col = Object.fromEntries(header.split(',').map((c, i) => [c, i]));
const seconds = (t) => t.split(':').reduce((s, p) => s * 60 + Number(p), 0);
const under3 = { M: 0, F: 0, X: 0 };
for (const line of lines) {
  const f = line.split(',');
  if (f[col.event_name] === 'Boston Marathon' && f[col.status] === 'finished' && seconds(f[col.chip_time]) < 3 * 3600)
    under3[f[col.gender]] += 1;
}
const all = under3.M + under3.F + under3.X;
let passed = 0, failed = 0;
async function check(name, f) {
  try {
    await f();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}
const user = (content) => ({ role: 'user', content });
const q = 'How many runners finished the Boston Marathon under 3 hours?';
const text = async (client, messages, model = 'racetiming') =>
  (await client.chat.completions.create({ model, messages })).choices[0].message.content;

await check('models are listed in OpenAI\'s shape', async () => {
  const ids = [];
  for await (const m of a.models.list()) ids.push(m.id);
  assert.deepEqual(ids.sort(), ['racetiming', 'racetiming-sql']);
  assert.equal((await a.models.retrieve('racetiming-sql')).id, 'racetiming-sql');
});

let whole;
await check('a question answered in one message, with usage', async () => {
  // fields this API does not use are ignored, as OpenAI's clients send many
  const c = await a.chat.completions.create({ model: 'racetiming', messages: [user(q)], temperature: 0.2, max_tokens: 500,
                                              user: 'race-director-7', presence_penalty: 0, seed: 1 });
  whole = c.choices[0].message.content;
  assert.equal(c.object, 'chat.completion');
  assert.equal(c.choices[0].finish_reason, 'stop');
  assert.match(whole, new RegExp(`^${all} runners finished`));
  assert.match(whole, /_Read as: /);
  assert.ok(c.usage.prompt_tokens === q.split(/\s+/).length && c.usage.completion_tokens > 0);
});

await check('the streamed deltas add up to the same message', async () => {
  const stream = await a.chat.completions.create({ model: 'racetiming', messages: [user(q)], stream: true,
                                                   stream_options: { include_usage: true } });
  let content = '', role = null, finish = null, usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      role ??= choice.delta.role ?? null;
      content += choice.delta.content ?? '';
      finish ??= choice.finish_reason;
    }
  }
  assert.equal(role, 'assistant');
  assert.equal(finish, 'stop');
  assert.equal(content, whole);
  assert.ok(usage && usage.completion_tokens > 0);
});

await check('three turns: follow-ups reuse the question before', async () => {
  const turns = [user(q)];
  turns.push({ role: 'assistant', content: await text(a, turns) });
  turns.push(user('and for women?'));
  const women = await text(a, turns);
  assert.match(women, new RegExp(`^${under3.F} women finished the Boston Marathon`), women);
  turns.push({ role: 'assistant', content: women }, user('and for men?'));
  const men = await text(a, turns);
  assert.match(men, new RegExp(`^${under3.M} men finished the Boston Marathon`), men);
});

await check('a refused turn answers why, and the chat goes on', async () => {
  const refused = await text(a, [user('What is the phone number of the Boston Marathon winner?')]);
  assert.match(refused, /^I can't answer that/);
  assert.match(refused, /Questions I can answer:/);
  const turns = [user(q), { role: 'assistant', content: whole }, user('What is the phone number of the winner?'),
                 { role: 'assistant', content: refused }, user('and for women?')];
  assert.match(await text(a, turns), new RegExp(`^${under3.F} women finished`));
});

await check('the -sql model shows the SQL', async () => {
  assert.match(await text(a, [user(q)], 'racetiming-sql'), /```sql\nSELECT /);
});

await check('a JWT from /api/v1/auth/token works as the bearer token too', async () => {
  const r = await fetch(process.env.RACETIMINGD_URL + '/api/v1/auth/token', { method: 'POST', headers: { 'X-API-Key': process.env.KEY_A } });
  assert.equal(r.status, 200);
  const jwt = new OpenAI({ baseURL: base, apiKey: (await r.json()).access_token, maxRetries: 0 });
  assert.match(await text(jwt, [user(q)]), new RegExp(`^${all} runners finished`));
});

await check('a wrong key is the client\'s AuthenticationError, in OpenAI\'s error shape', async () => {
  const wrong = new OpenAI({ baseURL: base, apiKey: 'rt_000000000000_' + '0'.repeat(48), maxRetries: 0 });
  await assert.rejects(wrong.chat.completions.create({ model: 'racetiming', messages: [user(q)] }), (e) => {
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    assert.equal(e.status, 401);
    assert.equal(e.error.code, 'unauthenticated');
    assert.equal(e.error.type, 'authentication_error');
    return true;
  });
});

await check('bad requests are the client\'s BadRequestError', async () => {
  for (const body of [{ model: 'racetiming', messages: [user(q)], n: 2 },
                      { model: 'racetiming', messages: [user(q)], tools: [{ type: 'function', function: { name: 'f' } }] },
                      { model: 'racetiming', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
                      { model: 'racetiming', messages: [] },
                      { model: 'racetiming', messages: [{ role: 'system', content: 'You are helpful.' }] }])
    await assert.rejects(a.chat.completions.create(body), (e) => e instanceof OpenAI.BadRequestError && e.status === 400);
  await assert.rejects(a.chat.completions.create({ model: 'gpt-4o', messages: [user(q)] }),
                       (e) => e instanceof OpenAI.NotFoundError && e.error.code === 'not_found');
});

await check('another partner\'s key never reaches this partner\'s data', async () => {
  const winner = (await text(a, [user('Who won the Boston Marathon?')])).split(' won ')[0];
  assert.ok(winner.length > 3, winner);
  // by name, by follow-up on a conversation about the other partner's event, and by id
  for (const turns of [[user('Who won the Boston Marathon?')],
                       [user(q), { role: 'assistant', content: whole }, user('and for women?')],
                       [user('How many runners finished race 1?')]]) {
    const reply = await text(b, turns);
    assert.ok(!reply.includes(winner) && !reply.includes('Boston Marathon 2024'), reply);
  }
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
