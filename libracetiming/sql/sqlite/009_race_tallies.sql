-- Per-race rollups, as in the PostgreSQL migration (its header says what and why). SQLite has no
-- statement triggers: row triggers add each entry's change, -1 as it was and +1 as it is.
CREATE TABLE race_tallies (
  timing_partner_id INTEGER NOT NULL,
  race_id INTEGER NOT NULL,
  dimension INTEGER NOT NULL,  -- 0 all, 1 gender, 2 age, 3 division, 4 state, 5 country, 6 team
  status TEXT NOT NULL,
  value TEXT NOT NULL,
  entries INTEGER NOT NULL,
  timed INTEGER NOT NULL,
  time_sum_ms INTEGER NOT NULL,
  PRIMARY KEY (timing_partner_id, race_id, dimension, status, value)
) WITHOUT ROWID;

-- One entry's signed change (+1 joining its tallies, -1 leaving them), applied by the INSTEAD OF trigger
-- below: the entry triggers only say which rows change, so the arithmetic is written once.
CREATE VIEW race_tally_changes AS
  SELECT timing_partner_id, race_id, status, gender, age, division, state, country, team, finish_time_ms, 0 AS sign
  FROM ct_participants WHERE 0;

CREATE TRIGGER race_tally_changes_apply INSTEAD OF INSERT ON race_tally_changes BEGIN
  INSERT INTO race_tallies (timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms)
  SELECT NEW.timing_partner_id, NEW.race_id, d.dimension, NEW.status, d.value, NEW.sign,
         CASE WHEN NEW.finish_time_ms IS NULL THEN 0 ELSE NEW.sign END, NEW.sign * COALESCE(NEW.finish_time_ms, 0)
  FROM (SELECT 0 AS dimension, '' AS value UNION ALL SELECT 1, NEW.gender UNION ALL SELECT 2, COALESCE(CAST(NEW.age AS TEXT), '')
        UNION ALL SELECT 3, COALESCE(NEW.division, '') UNION ALL SELECT 4, COALESCE(NEW.state, '')
        UNION ALL SELECT 5, COALESCE(NEW.country, '') UNION ALL SELECT 6, COALESCE(NEW.team, '')) d WHERE true
  ON CONFLICT (timing_partner_id, race_id, dimension, status, value) DO UPDATE
    SET entries = entries + excluded.entries, timed = timed + excluded.timed, time_sum_ms = time_sum_ms + excluded.time_sum_ms;
  DELETE FROM race_tallies WHERE NEW.sign < 0 AND timing_partner_id = NEW.timing_partner_id AND race_id = NEW.race_id
    AND status = NEW.status AND entries = 0;
END;

CREATE TRIGGER race_tallies_on_insert AFTER INSERT ON ct_participants BEGIN
  INSERT INTO race_tally_changes VALUES (NEW.timing_partner_id, NEW.race_id, NEW.status, NEW.gender, NEW.age, NEW.division,
    NEW.state, NEW.country, NEW.team, NEW.finish_time_ms, 1);
END;

CREATE TRIGGER race_tallies_on_delete AFTER DELETE ON ct_participants BEGIN
  INSERT INTO race_tally_changes VALUES (OLD.timing_partner_id, OLD.race_id, OLD.status, OLD.gender, OLD.age, OLD.division,
    OLD.state, OLD.country, OLD.team, OLD.finish_time_ms, -1);
END;

-- an update is the entry leaving its tallies and joining its new ones (only if a tallied column changed)
CREATE TRIGGER race_tallies_on_update AFTER UPDATE OF timing_partner_id, race_id, status, gender, age, division, state,
    country, team, finish_time_ms ON ct_participants
  WHEN (OLD.timing_partner_id, OLD.race_id, OLD.status, OLD.gender, OLD.age, OLD.division, OLD.state, OLD.country, OLD.team,
        OLD.finish_time_ms)
    IS NOT (NEW.timing_partner_id, NEW.race_id, NEW.status, NEW.gender, NEW.age, NEW.division, NEW.state, NEW.country, NEW.team,
            NEW.finish_time_ms)
BEGIN
  INSERT INTO race_tally_changes VALUES (OLD.timing_partner_id, OLD.race_id, OLD.status, OLD.gender, OLD.age, OLD.division,
    OLD.state, OLD.country, OLD.team, OLD.finish_time_ms, -1);
  INSERT INTO race_tally_changes VALUES (NEW.timing_partner_id, NEW.race_id, NEW.status, NEW.gender, NEW.age, NEW.division,
    NEW.state, NEW.country, NEW.team, NEW.finish_time_ms, 1);
END;

-- the tallies of the entries already stored
INSERT INTO race_tallies (timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms)
SELECT p.timing_partner_id, p.race_id, k.dimension, p.status,
       CASE k.dimension WHEN 0 THEN '' WHEN 1 THEN p.gender WHEN 2 THEN COALESCE(CAST(p.age AS TEXT), '')
         WHEN 3 THEN COALESCE(p.division, '') WHEN 4 THEN COALESCE(p.state, '') WHEN 5 THEN COALESCE(p.country, '')
         ELSE COALESCE(p.team, '') END,
       COUNT(*), COUNT(p.finish_time_ms), COALESCE(SUM(p.finish_time_ms), 0)
FROM ct_participants p CROSS JOIN (SELECT 0 AS dimension UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
                                   UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6) k
GROUP BY 1, 2, 3, 4, 5;
