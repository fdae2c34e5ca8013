// The Fastify + pg peer of racetimingd's results page, for bench/peer_compare: the same route, the same
// statement, the same JSON fields, written as a careful Fastify app would be. A pg Pool of 4 (the
// daemon's --pool 4), the statement prepared by name, int8 read as numbers, the reply serialised from
// a response schema (fast-json-stringify), no logging.
//
// Where it is given the easier part, so that the comparison is not won by the peer's weakness:
// - tenancy is fixed per connection (role racetiming_api, the partner, read only), as pgbench's
//   as-daemon form runs it: it serves one partner and never switches;
// - the API key is checked against the one key it was started with (a Map lookup; the daemon's
//   verified-key cache is the same in steady state);
// - only the first page (no cursor parameter); it writes next_cursor as the daemon does.
//
// Usage: node server.js DB_URL PORT API_KEY PARTNER_ID
'use strict';

const fastify = require('fastify')({ logger: false });
const pg = require('pg');

const [, , dbUrl, port, apiKey, partnerText] = process.argv;
const partner = Number(partnerText);
pg.types.setTypeParser(20, (text) => Number(text)); // int8: the ids and times fit a double exactly
const pool = new pg.Pool({
  connectionString: dbUrl,
  max: 4,
  options: `-c role=racetiming_api -c app.current_partner_id=${partner} -c default_transaction_read_only=on`,
});
const keys = new Map([[apiKey, partner]]);

// The daemon's statement for GET /results?race_id=R&limit=50 (bench/print_sql results), with its
// parameters bound: 51 rows read, so that the page knows whether there is a next one.
const resultsPage = {
  name: 'results_page',
  text:
    'SELECT r.result_id, r.event_id, r.race_id, r.participant_id, r.interval_name, r.is_final, p.bib, p.first_name, ' +
    'p.last_name, p.gender, p.age, p.division, p.city, p.state, p.status, r.overall_place, r.gender_place, ' +
    'r.division_place, r.results_time_ms, r.gun_time_ms, r.pace_ms_per_km, ra.distance_m, ra.race_name FROM ' +
    '(SELECT r.* FROM ct_results r WHERE r.timing_partner_id = $1 AND r.is_final AND r.race_id = $2 ' +
    'ORDER BY r.results_time_ms, r.result_id LIMIT $3) r JOIN ct_participants p ON p.participant_id = r.participant_id ' +
    'AND p.timing_partner_id = r.timing_partner_id JOIN ct_races ra ON ra.race_id = r.race_id AND ra.timing_partner_id = $1 ' +
    'ORDER BY r.results_time_ms, r.result_id',
};

// H:MM:SS with tenths when there are any, and M:SS paces, as the library formats them.
function duration(ms) {
  if (ms === null) return null;
  const tenths = Math.floor((ms + 50) / 100);
  const whole = Math.floor(tenths / 10);
  const t = tenths % 10;
  const text = `${Math.floor(whole / 3600)}:${String(Math.floor(whole / 60) % 60).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
  return t ? `${text}.${t}` : text;
}
function pace(ms) {
  const s = Math.floor((ms + 500) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const int = { type: ['integer', 'null'] };
const str = { type: ['string', 'null'] };
const schema = {
  response: {
    200: {
      type: 'object',
      properties: {
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              result_id: int, event_id: int, race_id: int, participant_id: int, interval_name: str,
              is_final: { type: 'boolean' }, bib: str, first_name: str, last_name: str, gender: str, age: int,
              division: str, city: str, state: str, status: str, overall_place: int, gender_place: int,
              division_place: int, results_time_ms: int, results_time: str, gun_time_ms: int, gun_time: str,
              pace_ms_per_km: int, pace_per_km: str, pace_per_mile: str, distance_m: int, race_name: str,
            },
          },
        },
        next_cursor: { type: 'string' },
      },
    },
  },
};

fastify.get('/api/v1/partners/:partner/results', { schema }, async (request, reply) => {
  const caller = keys.get(request.headers['x-api-key']);
  if (caller === undefined) return reply.code(401).send({ code: 'unauthenticated' });
  if (Number(request.params.partner) !== caller) return reply.code(404).send({ code: 'not_found' });
  const raceId = Number(request.query.race_id);
  const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
  if (!Number.isInteger(raceId) || !Number.isInteger(limit) || limit < 1 || limit > 1000)
    return reply.code(400).send({ code: 'invalid_parameter' });
  const { rows } = await pool.query({ ...resultsPage, values: [caller, raceId, limit + 1] });
  let nextCursor = '';
  if (rows.length > limit) {
    rows.length = limit;
    const last = rows[limit - 1];
    nextCursor = Buffer.from(`results_time_ms\x1f${last.results_time_ms}\x1f${last.result_id}`).toString('base64');
  }
  for (const row of rows) {
    row.results_time = duration(row.results_time_ms);
    row.gun_time = duration(row.gun_time_ms);
    if (row.results_time_ms !== null && row.distance_m > 0) {
      row.pace_per_km = pace(row.pace_ms_per_km);
      row.pace_per_mile = pace(Math.round((row.results_time_ms * 1609.344) / row.distance_m));
    }
  }
  return { data: rows, next_cursor: nextCursor };
});

fastify.get('/healthz', async () => ({ status: 'ok' }));

fastify.listen({ host: '127.0.0.1', port: Number(port) }).catch((err) => {
  console.error(err);
  process.exit(1);
});
