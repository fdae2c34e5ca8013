-- The performance report reads each grouping's finishers in the order its percentiles need
-- (analytics/performance.cpp): a race's genders through an index of finishers by (race, gender, time),
-- and its divisions through the division index, which now also holds gender and age (an age grade is
-- read from them), so neither grouping sorts the race nor visits the table.
CREATE INDEX IF NOT EXISTS ct_participants_finishers_by_gender ON ct_participants (timing_partner_id, race_id, gender, finish_time_ms)
  INCLUDE (age) WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
DROP INDEX IF EXISTS ct_participants_finishers_by_division;
CREATE INDEX ct_participants_finishers_by_division ON ct_participants (timing_partner_id, race_id, division, finish_time_ms)
  INCLUDE (gender, age) WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
