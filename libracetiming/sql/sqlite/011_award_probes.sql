-- Nothing on SQLite: the awards report's probes (PostgreSQL migration 011) need FETCH ... WITH TIES, which
-- SQLite lacks, so it ranks a race's finishers in full, as before. The number keeps both schemas in step.
SELECT 1;
