-- Whole-race aggregates (a share of a 31,000-runner race, an average age, a count by division) read the
-- race's final readings and its entries: these two indexes hold every column those questions read, so
-- PostgreSQL answers from the indexes alone (index-only scans) and joins the two in participant order
-- (a merge join, no hash table), instead of visiting each row's heap page.
CREATE INDEX IF NOT EXISTS ct_results_final_by_participant ON ct_results (timing_partner_id, race_id, participant_id)
  INCLUDE (results_time_ms, gun_time_ms, overall_place, gender_place, division_place, pace_ms_per_km) WHERE is_final;
CREATE INDEX IF NOT EXISTS ct_participants_by_race_status ON ct_participants (timing_partner_id, race_id, status, participant_id)
  INCLUDE (gender, age, division, state, city, team, country);
-- Finisher counts of whole editions (a trend over six years reads 125,000 readings): the placed final
-- readings by race, nothing else, so a count reads the narrowest index there can be.
CREATE INDEX IF NOT EXISTS ct_results_placed_by_race ON ct_results (timing_partner_id, race_id)
  WHERE is_final AND overall_place IS NOT NULL;
