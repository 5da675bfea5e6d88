--liquibase formatted sql

--changeset plugboard:032-connect-session-locale
-- The language the session's pages speak, as the creator asked for it (a BCP 47 tag whose language the connect
-- page supports); NULL: the browser's Accept-Language decides.
ALTER TABLE connect_sessions ADD COLUMN locale varchar(35);
