--liquibase formatted sql

--changeset plugboard:031-sync-reconciliation
-- Incremental passes that ask for records updated since the previous pass cannot see deletions, so now and then
-- a pass reads the whole model instead (plugboard.sync.reconcile-every). Whether the pass in progress reads
-- everything is decided when it starts and kept with its checkpoint: only a complete pass that read everything
-- may mark what it did not see as deleted, however long the pass takes and wherever it resumes.
ALTER TABLE sync_states ADD COLUMN pass_full boolean;
ALTER TABLE sync_states ADD COLUMN last_full_pass_at timestamptz;
