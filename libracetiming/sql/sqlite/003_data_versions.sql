-- A counter per partner that every write and import moves forward, so caches of answers computed from
-- the partner's data (the NL engine's) know when to stop trusting them.
CREATE TABLE data_versions (
  timing_partner_id INTEGER PRIMARY KEY REFERENCES timing_partners ON DELETE CASCADE,
  version INTEGER NOT NULL DEFAULT 0
);
