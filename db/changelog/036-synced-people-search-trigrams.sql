--liquibase formatted sql

--changeset plugboard:036-synced-people-search-trigrams splitStatements:false
-- q on synced people (docs/universal-api.md#answers-from-synced-records) matches part of a person's name, e-mail
-- addresses or phones: search LIKE '%term%'. LIKE is not leakproof, so under row-level security PostgreSQL may not
-- evaluate it inside an index scan ahead of the policy, and the gin_trgm_ops index on search was never used: a q
-- read went through every row of the credential (a parallel scan of the table, close to a second at a million
-- people; docs/benchmarks.md). jsonb containment is leakproof. So each row also keeps the trigrams of its search
-- text as a jsonb array, indexed with jsonb_path_ops: a read asks for rows holding every trigram of the term
-- through that index and the exact test (the term as a substring) then checks only those. Only trigrams of three letters or digits are kept: those
-- of a term are in every text that contains it, whatever the words around it (pg_trgm's padded trigrams at word
-- edges are not). A trigger keeps them, so the sync's writes and a write through the API need no change.
ALTER TABLE synced_people ADD COLUMN search_trigrams jsonb NOT NULL DEFAULT '[]';

CREATE FUNCTION synced_people_search_trigrams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search IS NOT DISTINCT FROM OLD.search THEN
        RETURN NEW;
    END IF;
    NEW.search_trigrams := coalesce((SELECT jsonb_agg(t) FROM unnest(show_trgm(NEW.search)) t WHERE t !~ '\s'),
                                    '[]'::jsonb);
    RETURN NEW;
END $$;

CREATE TRIGGER synced_people_search_trigrams BEFORE INSERT OR UPDATE OF search ON synced_people
    FOR EACH ROW EXECUTE FUNCTION synced_people_search_trigrams();

UPDATE synced_people SET search_trigrams = coalesce((SELECT jsonb_agg(t) FROM unnest(show_trgm(search)) t
                                                     WHERE t !~ '\s'), '[]'::jsonb);

CREATE INDEX synced_people_search_trigrams ON synced_people USING gin (search_trigrams jsonb_path_ops);
-- Unused under row-level security (above); every write paid for it.
DROP INDEX synced_people_search;
