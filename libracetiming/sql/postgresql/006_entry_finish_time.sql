-- An entry's finish time (the chip time of its final reading, NULL without one), kept on the entry by
-- every write path that writes readings. A whole-race statistic of finishers by gender, age or division
-- (an average per age group, a Boston-qualifier count, men against women) then reads one index of the
-- race's entries instead of joining 31,000 final readings to their entries: PostgreSQL's time for those
-- statements fell by half or more (docs/performance.md).
ALTER TABLE ct_participants ADD COLUMN IF NOT EXISTS finish_time_ms BIGINT;
UPDATE ct_participants p SET finish_time_ms = r.results_time_ms FROM ct_results r
  WHERE r.participant_id = p.participant_id AND r.timing_partner_id = p.timing_partner_id AND r.is_final
    AND p.finish_time_ms IS DISTINCT FROM r.results_time_ms;
DROP INDEX IF EXISTS ct_participants_by_race_status;
CREATE INDEX ct_participants_by_race_status ON ct_participants (timing_partner_id, race_id, status, participant_id)
  INCLUDE (finish_time_ms, gender, age, division, state, city, team, country);
-- Placed final readings by race now in place order: a place bound ("how many of the top 100 were
-- women") reads its 100 readings, and a finisher count still reads this one narrow index.
DROP INDEX IF EXISTS ct_results_placed_by_race;
CREATE INDEX ct_results_placed_by_race ON ct_results (timing_partner_id, race_id, overall_place)
  WHERE is_final AND overall_place IS NOT NULL;
