-- Per-race rollups: each race's entries counted by status and by one dimension at a time (all entries,
-- gender, age, division, state, country, team), with the finish times' count and sum. Demographics,
-- trends and the NL engine's whole-race counts, shares, distinct values and averages read a few hundred
-- of these rows instead of the race's 31,000 entries (docs/design-notes.md, "Per-race tallies").
--
-- Kept by the database, not by each write path: statement triggers on ct_participants add each
-- statement's net change (new rows +1, old rows -1) in one upsert, so the importer, the REST writes, a
-- sync and a cascade from a deleted race all keep them alike. A value is the column's text, '' for none
-- (the library never stores empty text: it clears the field); age is its decimal text.
CREATE TABLE race_tallies (
  timing_partner_id BIGINT NOT NULL,
  race_id BIGINT NOT NULL,
  dimension SMALLINT NOT NULL,  -- 0 all, 1 gender, 2 age, 3 division, 4 state, 5 country, 6 team
  status TEXT NOT NULL,
  value TEXT NOT NULL,
  entries BIGINT NOT NULL,      -- entries of that status and value
  timed BIGINT NOT NULL,        -- of which have a finish time
  time_sum_ms BIGINT NOT NULL,  -- the sum of those finish times
  PRIMARY KEY (timing_partner_id, race_id, dimension, status, value)
);
-- rows whose entries all left (a few at a time): found without a scan, then deleted
CREATE INDEX race_tallies_empty ON race_tallies (timing_partner_id) WHERE entries = 0;
ALTER TABLE race_tallies ENABLE ROW LEVEL SECURITY;
ALTER TABLE race_tallies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON race_tallies
  USING (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint)
  WITH CHECK (timing_partner_id = NULLIF(current_setting('app.current_partner_id', true), '')::bigint);
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON race_tallies TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON race_tallies TO racetiming_api;

-- The tallies of `entries` (a SELECT of entry rows with a sign column, +1 or -1), as a SELECT of
-- (timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms). Grouping sets
-- hash the rows once per dimension in one pass: twice as fast as expanding each row seven times. In a
-- grouping set the columns it does not group by are NULL, so the one value is the first non-NULL.
CREATE FUNCTION race_tallies_of(entries TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    SELECT c.timing_partner_id, c.race_id,
      CASE GROUPING(c.gender, c.age, c.division, c.state, c.country, c.team)
        WHEN 63 THEN 0 WHEN 31 THEN 1 WHEN 47 THEN 2 WHEN 55 THEN 3 WHEN 59 THEN 4 WHEN 61 THEN 5 ELSE 6 END AS dimension,
      c.status, COALESCE(c.gender, c.age::text, c.division, c.state, c.country, c.team, '') AS value,
      SUM(c.sign) AS entries, SUM(CASE WHEN c.finish_time_ms IS NULL THEN 0 ELSE c.sign END) AS timed,
      COALESCE(SUM(c.sign * c.finish_time_ms), 0) AS time_sum_ms
    FROM (%s) c
    GROUP BY GROUPING SETS ((c.timing_partner_id, c.race_id, c.status), (c.timing_partner_id, c.race_id, c.status, c.gender),
      (c.timing_partner_id, c.race_id, c.status, c.age), (c.timing_partner_id, c.race_id, c.status, c.division),
      (c.timing_partner_id, c.race_id, c.status, c.state), (c.timing_partner_id, c.race_id, c.status, c.country),
      (c.timing_partner_id, c.race_id, c.status, c.team))$q$, entries)
$f$;

-- Adds the statement's net change to the tallies: inserted rows count +1, deleted rows -1, an updated row
-- -1 as it was and +1 as it is (only if a tallied column changed: renaming a runner or moving places
-- writes nothing here). One upsert in key order per statement; transition tables are visible to
-- EXECUTE, so the three triggers share it.
CREATE FUNCTION race_tallies_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tallied CONSTANT TEXT := '(%1$s.timing_partner_id, %1$s.race_id, %1$s.status, %1$s.gender, %1$s.age, %1$s.division, '
                           '%1$s.state, %1$s.country, %1$s.team, %1$s.finish_time_ms)';
  moved TEXT;
  changed TEXT;
BEGIN
  moved := format(' FROM old_rows o JOIN new_rows n ON n.participant_id = o.participant_id WHERE %s IS DISTINCT FROM %s',
                  format(tallied, 'o'), format(tallied, 'n'));
  changed := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
    ELSE 'SELECT o.*, -1 AS sign' || moved || ' UNION ALL SELECT n.*, 1' || moved
  END;
  EXECUTE format($q$
    INSERT INTO race_tallies AS t (timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms)
    SELECT x.timing_partner_id, x.race_id, x.dimension, x.status, x.value, x.entries, x.timed, x.time_sum_ms
    FROM (%s) x
    WHERE x.entries <> 0 OR x.timed <> 0 OR x.time_sum_ms <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (timing_partner_id, race_id, dimension, status, value) DO UPDATE
      SET entries = t.entries + EXCLUDED.entries, timed = t.timed + EXCLUDED.timed,
          time_sum_ms = t.time_sum_ms + EXCLUDED.time_sum_ms$q$, race_tallies_of(changed));
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM race_tallies WHERE entries = 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER race_tallies_on_insert AFTER INSERT ON ct_participants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION race_tallies_apply();
CREATE TRIGGER race_tallies_on_update AFTER UPDATE ON ct_participants
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION race_tallies_apply();
CREATE TRIGGER race_tallies_on_delete AFTER DELETE ON ct_participants
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION race_tallies_apply();

-- the tallies of the entries already stored
DO $$
BEGIN
  EXECUTE 'INSERT INTO race_tallies (timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms) '
          || race_tallies_of('SELECT p.*, 1 AS sign FROM ct_participants p');
END $$;
