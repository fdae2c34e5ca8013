-- Idempotency-Key of a create: the first request's outcome (which row it made), so that a retried POST
-- with the same key and body answers with that row instead of making a second one. The key is written in
-- the same transaction as the row, so two concurrent retries cannot both create.
CREATE TABLE idempotency_keys (
  timing_partner_id BIGINT NOT NULL REFERENCES timing_partners ON DELETE CASCADE,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  resource TEXT NOT NULL,
  resource_id BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (timing_partner_id, idempotency_key)
);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint)
  WITH CHECK (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint);
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON idempotency_keys TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
GRANT SELECT, INSERT ON idempotency_keys TO racetiming_api;
