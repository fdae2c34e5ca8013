-- Names a partner's users call its events by ("the Trot", "BRM"), read by the NL engine within that
-- partner's catalog only. An alias names an event by its name, so it holds for every edition. `alias_key`
-- is the alias as the parser reads it (lower case, words split), unique per partner.
CREATE TABLE ct_event_aliases (
  event_alias_id BIGSERIAL PRIMARY KEY,
  timing_partner_id BIGINT NOT NULL REFERENCES timing_partners ON DELETE CASCADE,
  alias TEXT NOT NULL,
  alias_key TEXT NOT NULL,
  event_name TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (timing_partner_id, alias_key)
);
ALTER TABLE ct_event_aliases ENABLE ROW LEVEL SECURITY;
ALTER TABLE ct_event_aliases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ct_event_aliases
  USING (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint)
  WITH CHECK (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint);
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON ct_event_aliases TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
GRANT SELECT, INSERT, DELETE ON ct_event_aliases TO racetiming_api;
GRANT USAGE ON SEQUENCE ct_event_aliases_event_alias_id_seq TO racetiming_api;
