-- The audit trail: the client's address on each row, and each partner's chain read from its last row.
ALTER TABLE audit_log ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS audit_log_partner_chain ON audit_log (timing_partner_id, audit_id);
-- rows are listed and chained by id (ids follow time): the index by time is one more to keep per row
DROP INDEX IF EXISTS audit_log_partner_time;
