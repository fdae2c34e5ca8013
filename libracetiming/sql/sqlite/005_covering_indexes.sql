-- The PostgreSQL migration's covering indexes, as far as SQLite has them (no INCLUDE): the entries of a
-- race by status, in participant order.
CREATE INDEX IF NOT EXISTS ct_participants_by_race_status ON ct_participants (timing_partner_id, race_id, status, participant_id);
