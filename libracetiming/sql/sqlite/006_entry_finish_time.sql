-- An entry's finish time (the chip time of its final reading), as in the PostgreSQL migration.
ALTER TABLE ct_participants ADD COLUMN finish_time_ms INTEGER;
UPDATE ct_participants SET finish_time_ms = (SELECT r.results_time_ms FROM ct_results r
  WHERE r.participant_id = ct_participants.participant_id AND r.is_final);
