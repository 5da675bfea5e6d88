--liquibase formatted sql

--changeset plugboard:008-audit-sealing splitStatements:false
-- Appending used to take one global advisory lock until commit so each event could read the chain's tail:
-- every audited change in every instance queued behind the one before it, and on a busy or slow disk
-- the commit (fsync) happened while the lock was held. Now an event is a plain INSERT numbered by a
-- sequence, and a sealer links committed events into the hash chain shortly afterwards, in the order it
-- finds them (chain_index). Sealing fills the three chain columns of an unsealed row once; the trigger
-- refuses every other UPDATE, any DELETE and TRUNCATE as before.
CREATE SEQUENCE audit_events_seq;
SELECT setval('audit_events_seq', COALESCE((SELECT max(seq) FROM audit_events), 0) + 1, false);
ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq');
ALTER SEQUENCE audit_events_seq OWNED BY audit_events.seq;

ALTER TABLE audit_events ADD COLUMN chain_index bigint;
ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN hash DROP NOT NULL;

-- Events written before this change were chained in seq order, so their position is their seq.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
UPDATE audit_events SET chain_index = seq;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;

CREATE UNIQUE INDEX audit_events_chain ON audit_events (chain_index);
CREATE INDEX audit_events_unsealed ON audit_events (seq) WHERE hash IS NULL;

CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.chain_index IS NOT NULL
           AND to_jsonb(NEW) - 'chain_index' - 'prev_hash' - 'hash'
               = to_jsonb(OLD) - 'chain_index' - 'prev_hash' - 'hash' THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
