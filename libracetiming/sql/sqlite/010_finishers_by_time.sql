-- The PostgreSQL migration's index of a race's finishers in finish-time order (SQLite has no INCLUDE).
CREATE INDEX IF NOT EXISTS ct_participants_finishers_by_time ON ct_participants (timing_partner_id, race_id, finish_time_ms, gender)
  WHERE status = 'finished' AND finish_time_ms IS NOT NULL;
