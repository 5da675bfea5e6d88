--liquibase formatted sql

--changeset plugboard:019-audit-seal-function splitStatements:false
-- The application runs as a runtime role that may only INSERT and SELECT audit events (see
-- runtime-role-grants.sql). Sealing, the one legitimate UPDATE, goes through this function: it runs with the
-- rights of its owner (the migrating role), fills only the chain columns, and only of rows not sealed yet. The
-- append-only trigger still checks that nothing else of the row changes.
CREATE FUNCTION audit_seal(seqs bigint[], chain_indexes bigint[], prev_hashes text[], hashes text[])
    RETURNS integer
    LANGUAGE sql
    SECURITY DEFINER
    -- Nothing the caller could create is looked up: no caller-controlled schema on the path.
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH sealed AS (
        UPDATE public.audit_events e
        SET chain_index = s.chain_index, prev_hash = s.prev_hash, hash = s.hash
        FROM unnest(seqs, chain_indexes, prev_hashes, hashes) AS s(seq, chain_index, prev_hash, hash)
        WHERE e.seq = s.seq AND e.hash IS NULL
        RETURNING 1)
    SELECT count(*)::integer FROM sealed
$$;
REVOKE ALL ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) FROM PUBLIC;
