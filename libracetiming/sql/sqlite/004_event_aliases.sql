-- Names a partner's users call its events by, read by the NL engine within that partner's catalog only
-- (see the PostgreSQL migration).
CREATE TABLE ct_event_aliases (
  event_alias_id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER NOT NULL REFERENCES timing_partners ON DELETE CASCADE,
  alias TEXT NOT NULL,
  alias_key TEXT NOT NULL,
  event_name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (timing_partner_id, alias_key)
);
