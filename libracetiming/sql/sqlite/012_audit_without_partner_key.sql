-- The audit log keeps no foreign key to timing_partners (PostgreSQL migration 012 says why). SQLite drops
-- a constraint by making the table again: the same columns, rows and index, without the reference.
CREATE TABLE audit_log_new (
  audit_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER,
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  user_id INTEGER, key_id INTEGER,
  method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,
  request_id TEXT, duration_ms REAL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  client_address TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_log_new (audit_id, timing_partner_id, occurred_at, user_id, key_id, method, path, status, request_id,
                           duration_ms, prev_hash, hash, client_address)
  SELECT audit_id, timing_partner_id, occurred_at, user_id, key_id, method, path, status, request_id, duration_ms,
         prev_hash, hash, client_address FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_partner_chain ON audit_log (timing_partner_id, audit_id);
