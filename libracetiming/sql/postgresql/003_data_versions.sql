-- A counter per partner that every write and import moves forward, so caches of answers computed from
-- the partner's data (the NL engine's) know when to stop trusting them.
CREATE TABLE data_versions (
  timing_partner_id BIGINT PRIMARY KEY REFERENCES timing_partners ON DELETE CASCADE,
  version BIGINT NOT NULL DEFAULT 0
);
ALTER TABLE data_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE data_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON data_versions
  USING (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint)
  WITH CHECK (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint);
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON data_versions TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
GRANT SELECT, INSERT, UPDATE ON data_versions TO racetiming_api;
