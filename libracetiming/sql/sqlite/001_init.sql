-- racetiming schema, SQLite dialect. Mirrors postgresql/001_init.sql; SQLite has no row-level security,
-- so the tenant predicate every query builder emits is the guard here (a test proves each one does).
CREATE TABLE timing_partners (
  timing_partner_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  slug TEXT NOT NULL UNIQUE,
  domain TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE api_users (
  user_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners,
  display_name TEXT NOT NULL,
  email TEXT,
  permissions TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX api_users_partner ON api_users (timing_partner_id);

CREATE TABLE api_keys (
  key_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners,
  user_id INTEGER REFERENCES api_users,
  prefix TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  revoked_at TEXT
);

CREATE TABLE ct_events (
  event_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners,
  event_name TEXT NOT NULL,
  event_date TEXT NOT NULL,
  city TEXT, state TEXT, country TEXT,
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'active', 'completed', 'cancelled')),
  external_source TEXT, external_id TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (timing_partner_id, external_source, external_id)
);
CREATE INDEX ct_events_partner_date ON ct_events (timing_partner_id, event_date);

CREATE TABLE ct_races (
  race_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL REFERENCES ct_events ON DELETE CASCADE,
  race_name TEXT NOT NULL,
  distance_m INTEGER NOT NULL CHECK (distance_m > 0),
  start_time TEXT,
  placement_basis TEXT NOT NULL DEFAULT 'chip' CHECK (placement_basis IN ('chip', 'gun')),
  external_source TEXT, external_id TEXT,
  UNIQUE (timing_partner_id, external_source, external_id)
);
CREATE INDEX ct_races_partner_event ON ct_races (timing_partner_id, event_id);

-- Child tables keep one foreign key, to their parent (races -> events -> partners); the denormalised
-- timing_partner_id and event_id beside it are written by the library from the parent row in the same
-- statement. Checking them again per row would double the cost of every import for no added safety.
CREATE TABLE ct_participants (
  participant_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  race_id INTEGER NOT NULL REFERENCES ct_races ON DELETE CASCADE,
  bib TEXT NOT NULL,
  first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('M', 'F', 'X')),
  age INTEGER CHECK (age BETWEEN 1 AND 120),
  division TEXT,
  city TEXT, state TEXT, country TEXT, team TEXT,
  status TEXT NOT NULL DEFAULT 'registered'
    CHECK (status IN ('registered', 'started', 'finished', 'dnf', 'dns', 'dq')),
  external_source TEXT, external_id TEXT,
  UNIQUE (timing_partner_id, race_id, bib),
  UNIQUE (timing_partner_id, external_source, external_id)
);
CREATE INDEX ct_participants_partner_event ON ct_participants (timing_partner_id, event_id);

CREATE TABLE ct_results (
  result_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  race_id INTEGER NOT NULL,
  participant_id INTEGER NOT NULL REFERENCES ct_participants ON DELETE CASCADE,
  interval_name TEXT NOT NULL,
  interval_distance_m INTEGER,
  is_final INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),
  results_time_ms INTEGER,
  gun_time_ms INTEGER,
  overall_place INTEGER, gender_place INTEGER, division_place INTEGER,
  pace_ms_per_km INTEGER,
  UNIQUE (participant_id, interval_name)
);
-- result_id completes the list order (time, then id), so a page is read in index order and stops at the limit
CREATE INDEX ct_results_partner_race_time ON ct_results (timing_partner_id, race_id, results_time_ms, result_id) WHERE is_final;
CREATE INDEX ct_results_partner_event ON ct_results (timing_partner_id, event_id);

CREATE TABLE integrations (
  integration_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners,
  provider TEXT NOT NULL CHECK (provider IN ('runsignup', 'chronotrack', 'raceroster')),
  base_url TEXT NOT NULL,
  credentials TEXT,
  settings TEXT NOT NULL DEFAULT '{}',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (timing_partner_id, provider)
);

CREATE TABLE sync_runs (
  sync_run_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners,
  provider TEXT NOT NULL,
  source TEXT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  records_read INTEGER NOT NULL DEFAULT 0,
  records_created INTEGER NOT NULL DEFAULT 0,
  records_updated INTEGER NOT NULL DEFAULT 0,
  records_skipped INTEGER NOT NULL DEFAULT 0,
  records_failed INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX sync_runs_partner_started ON sync_runs (timing_partner_id, started_at);

CREATE TABLE audit_log (
  audit_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER REFERENCES timing_partners,
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  user_id INTEGER, key_id INTEGER,
  method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,
  request_id TEXT, duration_ms REAL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_log_partner_time ON audit_log (timing_partner_id, occurred_at);
