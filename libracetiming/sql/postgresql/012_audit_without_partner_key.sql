-- The audit log keeps no foreign key to timing_partners. Its rows name partners that an authenticated
-- request proved exist, and a log of what happened must outlive a partner removed later rather than
-- forbid the removal. The key's check was a third of PostgreSQL's cost per audit row (a lookup with a
-- row lock on the partner for every request logged).
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_timing_partner_id_fkey;
