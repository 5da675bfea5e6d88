--liquibase formatted sql

--changeset plugboard:037-sync-retention-and-limits splitStatements:false
-- Sync to DB (docs/sync.md): runs limited per tenant and per provider API host across the cluster, and the synced
-- data of a revoked credential deleted once its retention has passed.
--
-- api_host is where a model's runs call (scheme://host:port, as the proxy's own per-host limit counts it), noted
-- when the sync is configured and again at every run, since an API address a token response gives can change. The
-- claim counts the unexpired leases per tenant and per host; the partial indexes keep that count to the few rows
-- running now.
ALTER TABLE sync_states ADD COLUMN api_host varchar(300);
CREATE INDEX sync_states_leased_tenant ON sync_states (tenant_id) WHERE lease_until IS NOT NULL;
CREATE INDEX sync_states_leased_host ON sync_states (api_host) WHERE lease_until IS NOT NULL;

-- One row per revoked credential whose synced data is being, or has been, deleted. The row is the claim: one
-- instance at a time holds its lease and deletes in batches, each adding what it deleted to the counts, so a purge
-- interrupted anywhere is carried on by whichever instance claims it next and still reports the whole. purged_at
-- set: done (and audited, once); the row stays so the credential can say when its synced records were deleted.
CREATE TABLE sync_purges (
    credential_id   varchar(40)   PRIMARY KEY REFERENCES credentials (id) ON DELETE CASCADE,
    tenant_id       uuid          NOT NULL REFERENCES tenants (id),
    lease_owner     uuid,
    lease_until     timestamptz,
    started_at      timestamptz   NOT NULL,
    purged_at       timestamptz,
    models          integer       NOT NULL DEFAULT 0,
    people          bigint        NOT NULL DEFAULT 0,
    notes           bigint        NOT NULL DEFAULT 0,
    tasks           bigint        NOT NULL DEFAULT 0,
    users           bigint        NOT NULL DEFAULT 0
);
CREATE INDEX sync_purges_unfinished ON sync_purges (credential_id) WHERE purged_at IS NULL;

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
BEGIN
    ALTER TABLE sync_purges ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY tenant_scope ON sync_purges USING (%s) WITH CHECK (%s)', visible, visible);
END $$;
