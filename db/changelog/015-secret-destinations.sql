--liquibase formatted sql

--changeset plugboard:015-secret-destinations
-- Each sealed secret is bound to the connector destination it was entered for (a fingerprint of where the
-- secret goes and how it is presented): the fingerprint is in the ciphertext's associated data and kept here,
-- beside it, so every use can compare it with the connector's current destination before opening anything.
-- NULL: sealed before this change; bound once at start-up under the definitions of that moment.
ALTER TABLE credentials ADD COLUMN destination varchar(64);
ALTER TABLE credentials ADD COLUMN reconnect_reason varchar(40);
ALTER TABLE integrations ADD COLUMN client_secret_destination varchar(64);
-- NEEDS_RECONNECT: the connector's destination changed since the secret was entered; only a reconnect, which
-- seals a newly entered secret for the new destination, makes the credential usable again.
ALTER TABLE credentials DROP CONSTRAINT credentials_status_check;
ALTER TABLE credentials ADD CONSTRAINT credentials_status_check
    CHECK (status IN ('ACTIVE', 'REFRESH_FAILED', 'NEEDS_RECONNECT', 'REVOKED', 'EXPIRED'));
