-- The awards report finds its winners by probing, per gender and per division, the first finishers in
-- time order (reports/awards.cpp): the finishers' time index also holds the age (a masters probe reads
-- no row), and a second one lists each division's finishers in time order (a probe of a division of
-- two reads two entries instead of walking the whole race).
DROP INDEX IF EXISTS ct_participants_finishers_by_time;
CREATE INDEX ct_participants_finishers_by_time ON ct_participants (timing_partner_id, race_id, finish_time_ms)
  INCLUDE (gender, age) WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS ct_participants_finishers_by_division ON ct_participants (timing_partner_id, race_id, division, finish_time_ms)
  WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
