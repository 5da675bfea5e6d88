--liquibase formatted sql

--changeset plugboard:030-sync splitStatements:false
-- Sync to DB (docs/sync.md): CRM records copied into PostgreSQL per credential, one table per Universal model,
-- and one state row per (credential, model) that the sync workers claim.
--
-- A state row is claimed with FOR UPDATE SKIP LOCKED and leased (lease_owner, lease_until): one worker at a time
-- runs it, and a worker that died loses it when the lease runs out. cursor is the checkpoint: the Universal API's
-- cursor of the next page of the pass in progress, written in the same transaction as the page before it, so a
-- pass resumes exactly there. pass_started_at (database time) is when the pass in progress began: records not
-- seen since then are the ones a complete full pass did not find. high_water_mark is the start of the last
-- complete pass; an incremental pass asks for records updated since it (less an overlap window).
CREATE TABLE sync_states (
    tenant_id               uuid          NOT NULL REFERENCES tenants (id),
    credential_id           varchar(40)   NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    model                   varchar(10)   NOT NULL CHECK (model IN ('people', 'notes', 'tasks', 'users')),
    enabled                 boolean       NOT NULL,
    paused                  boolean       NOT NULL DEFAULT false,
    paused_reason           varchar(20)   CHECK (paused_reason IN ('admin', 'credential')),
    frequency_minutes       integer       NOT NULL CHECK (frequency_minutes BETWEEN 1 AND 10080),
    phase                   varchar(12)   NOT NULL CHECK (phase IN ('BACKFILL', 'INCREMENTAL')),
    cursor                  text,
    pass_started_at         timestamptz,
    high_water_mark         timestamptz,
    records                 bigint        NOT NULL DEFAULT 0,
    last_run_at             timestamptz,
    last_success_at         timestamptz,
    next_run_at             timestamptz   NOT NULL,
    lease_owner             uuid,
    lease_until             timestamptz,
    last_error              varchar(500),
    last_error_at           timestamptz,
    consecutive_failures    integer       NOT NULL DEFAULT 0,
    created_at              timestamptz   NOT NULL,
    updated_at              timestamptz   NOT NULL,
    PRIMARY KEY (credential_id, model),
    CONSTRAINT sync_states_paused_have_reason CHECK (NOT paused OR paused_reason IS NOT NULL)
);
-- The claim walks only rows that can run, in due order.
CREATE INDEX sync_states_due ON sync_states (next_run_at) WHERE enabled AND NOT paused;
CREATE INDEX sync_states_tenant ON sync_states (tenant_id, credential_id);

-- The records. provider_id is the CRM's id; the Universal fields are columns, lists of structured values
-- (e-mails, phones, addresses, tags) jsonb; original is the CRM's untouched record. updated_at is the CRM's,
-- synced_at when a pass last saw the record, deleted_at when a complete pass no longer found it (kept, marked).
-- Reads are per credential, newest change first: (credential_id, updated_at DESC, provider_id) is the keyset.
CREATE TABLE synced_people (
    tenant_id           uuid          NOT NULL REFERENCES tenants (id),
    credential_id       varchar(40)   NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    provider_id         varchar(200)  NOT NULL,
    first_name          text,
    last_name           text,
    name                text,
    emails              jsonb         NOT NULL DEFAULT '[]',
    phones              jsonb         NOT NULL DEFAULT '[]',
    addresses           jsonb         NOT NULL DEFAULT '[]',
    tags                jsonb         NOT NULL DEFAULT '[]',
    stage               text,
    source              text,
    assigned_user_id    varchar(200),
    -- Lower-case name, e-mails and phones (also as digits only): what q searches, through a trigram index.
    search              text          NOT NULL DEFAULT '',
    created_at          timestamptz,
    updated_at          timestamptz,
    original            jsonb         NOT NULL,
    synced_at           timestamptz   NOT NULL,
    deleted_at          timestamptz,
    PRIMARY KEY (credential_id, provider_id)
);
CREATE INDEX synced_people_tenant_updated ON synced_people (tenant_id, credential_id, updated_at DESC, provider_id);
CREATE INDEX synced_people_stage ON synced_people (credential_id, stage, updated_at DESC);
CREATE INDEX synced_people_assigned ON synced_people (credential_id, assigned_user_id, updated_at DESC);
CREATE INDEX synced_people_tags ON synced_people USING gin (tags jsonb_path_ops);
CREATE INDEX synced_people_search ON synced_people USING gin (search gin_trgm_ops);
-- Finding what a complete pass did not see: the credential's live records by when they were last seen.
CREATE INDEX synced_people_seen ON synced_people (credential_id, synced_at) WHERE deleted_at IS NULL;

CREATE TABLE synced_notes (
    tenant_id           uuid          NOT NULL REFERENCES tenants (id),
    credential_id       varchar(40)   NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    provider_id         varchar(200)  NOT NULL,
    person_id           varchar(200),
    body                text,
    created_by_user_id  varchar(200),
    created_at          timestamptz,
    updated_at          timestamptz,
    original            jsonb         NOT NULL,
    synced_at           timestamptz   NOT NULL,
    deleted_at          timestamptz,
    PRIMARY KEY (credential_id, provider_id)
);
CREATE INDEX synced_notes_tenant_updated ON synced_notes (tenant_id, credential_id, updated_at DESC, provider_id);
CREATE INDEX synced_notes_person ON synced_notes (credential_id, person_id, updated_at DESC);
CREATE INDEX synced_notes_seen ON synced_notes (credential_id, synced_at) WHERE deleted_at IS NULL;

CREATE TABLE synced_tasks (
    tenant_id           uuid          NOT NULL REFERENCES tenants (id),
    credential_id       varchar(40)   NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    provider_id         varchar(200)  NOT NULL,
    person_id           varchar(200),
    title               text,
    description         text,
    due_at              timestamptz,
    completed           boolean       NOT NULL DEFAULT false,
    completed_at        timestamptz,
    assigned_user_id    varchar(200),
    created_at          timestamptz,
    updated_at          timestamptz,
    original            jsonb         NOT NULL,
    synced_at           timestamptz   NOT NULL,
    deleted_at          timestamptz,
    PRIMARY KEY (credential_id, provider_id)
);
CREATE INDEX synced_tasks_tenant_updated ON synced_tasks (tenant_id, credential_id, updated_at DESC, provider_id);
CREATE INDEX synced_tasks_person ON synced_tasks (credential_id, person_id, updated_at DESC);
CREATE INDEX synced_tasks_assigned ON synced_tasks (credential_id, assigned_user_id, updated_at DESC);
CREATE INDEX synced_tasks_seen ON synced_tasks (credential_id, synced_at) WHERE deleted_at IS NULL;

CREATE TABLE synced_users (
    tenant_id           uuid          NOT NULL REFERENCES tenants (id),
    credential_id       varchar(40)   NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    provider_id         varchar(200)  NOT NULL,
    name                text,
    first_name          text,
    last_name           text,
    email               text,
    role                text,
    active              boolean,
    original            jsonb         NOT NULL,
    synced_at           timestamptz   NOT NULL,
    deleted_at          timestamptz,
    PRIMARY KEY (credential_id, provider_id)
);
CREATE INDEX synced_users_tenant ON synced_users (tenant_id, credential_id, provider_id);
CREATE INDEX synced_users_seen ON synced_users (credential_id, synced_at) WHERE deleted_at IS NULL;

-- Row-level security as on every tenant table (changeset 020, decision 0007).
DO $$
DECLARE
    visible constant text := $sql$(SELECT current_setting('plugboard.platform', true)) = 'on'
        OR tenant_id = (SELECT nullif(current_setting('plugboard.tenant_id', true), '')::uuid)$sql$;
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sync_states', 'synced_people', 'synced_notes', 'synced_tasks', 'synced_users'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_scope ON %I USING (%s) WITH CHECK (%s)', t, visible, visible);
    END LOOP;
END $$;
