-- A race's finishers in finish-time order, with the two fields a median is most often asked of. The
-- race's tallies (009) say how many finishers there are, so a median or any percentile of a race's
-- finish times is an offset into this index (half the race's entries read, no sort), instead of a
-- sort of all of them: the median of one edition of a 31,000-runner race reads ~15,000 index entries.
CREATE INDEX IF NOT EXISTS ct_participants_finishers_by_time ON ct_participants (timing_partner_id, race_id, finish_time_ms)
  INCLUDE (gender) WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
