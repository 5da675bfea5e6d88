--liquibase formatted sql

--changeset plugboard:022-master-key-rotation-progress
-- Re-encryptions under a new primary master key: who started one and when, how far each kind of secret got, and
-- how it ended. What is left to do is never stored: it is every ciphertext whose key id (bytes 2-5, Tink's output
-- prefix) is not the primary's, so a run started after one that died resumes by touching only those. At most one
-- run is RUNNING (the partial unique index); one whose instance stopped renewing heartbeat_at is taken over.
CREATE TABLE master_key_reencryptions (
    id              uuid          PRIMARY KEY,
    primary_key_id  bigint        NOT NULL,
    started_by      varchar(320)  NOT NULL,
    started_at      timestamptz   NOT NULL,
    heartbeat_at    timestamptz   NOT NULL,
    status          varchar(10)   NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED')),
    finished_at     timestamptz,
    error           varchar(500)
);
CREATE UNIQUE INDEX master_key_reencryptions_one_running ON master_key_reencryptions ((true)) WHERE status = 'RUNNING';
CREATE INDEX master_key_reencryptions_started ON master_key_reencryptions (started_at DESC);

-- Per kind of secret, in the order the run takes them: total is what was on an older key when the run started;
-- changed: moved to the primary key by the application's own writes during the run (or deleted), left as they are.
CREATE TABLE master_key_reencryption_progress (
    run_id      uuid          NOT NULL REFERENCES master_key_reencryptions (id) ON DELETE CASCADE,
    position    integer       NOT NULL,
    kind        varchar(100)  NOT NULL,
    total       bigint        NOT NULL DEFAULT 0,
    resealed    bigint        NOT NULL DEFAULT 0,
    changed     bigint        NOT NULL DEFAULT 0,
    unreadable  bigint        NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, position)
);
