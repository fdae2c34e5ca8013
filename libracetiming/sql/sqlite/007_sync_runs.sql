-- Syncs from providers: where the next incremental sync starts (Unix seconds of the last good run's
-- start), and per run its mode, progress (races done of the total, while it runs) and entries removed
-- (a full sync drops the entries a provider no longer lists).
ALTER TABLE integrations ADD COLUMN watermark INTEGER;
ALTER TABLE sync_runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'file';
ALTER TABLE sync_runs ADD COLUMN races_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN races_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN records_removed INTEGER NOT NULL DEFAULT 0;
