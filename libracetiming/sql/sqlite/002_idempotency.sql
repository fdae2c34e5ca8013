-- Idempotency-Key of a create: the first request's outcome (which row it made), written in the same
-- transaction as the row, so that a retried POST answers with that row instead of making a second one.
CREATE TABLE idempotency_keys (
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners ON DELETE CASCADE,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  resource TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (timing_partner_id, idempotency_key)
);
