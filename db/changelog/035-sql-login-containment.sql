--liquibase formatted sql

--changeset plugboard:035-sealed-change-feeds splitStatements:false
-- Any role in the database may LISTEN to any channel and NOTIFY any channel; a tenant's read-only SQL login
-- (changeset 033) is such a role. The change feeds of changesets 013 and 016 named tenants, credentials and portal
-- users in the clear, and whatever anyone sent on them was acted on. From here on every payload is sealed:
-- AES-256-CBC under a random IV, then HMAC-SHA-256 over IV and ciphertext (encrypt-then-MAC), with keys that only
-- Plugboard's roles can read. The listeners (NotificationListener) open what verifies and refuse the rest, so a
-- listening login learns nothing but the rhythm of changes, and a forged payload changes nothing.
-- pgcrypto is a trusted extension: the owner role creates it like pg_trgm (changeset 005).
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

-- One row. The runtime role reads it (to open); only the owner writes it, and no one else sees it.
CREATE TABLE notification_seal_key (
    id          smallint PRIMARY KEY CHECK (id = 1),
    cipher_key  bytea NOT NULL CHECK (length(cipher_key) = 32),
    mac_key     bytea NOT NULL CHECK (length(mac_key) = 32)
);
REVOKE ALL ON notification_seal_key FROM PUBLIC;
INSERT INTO notification_seal_key (id, cipher_key, mac_key)
VALUES (1, public.gen_random_bytes(32), public.gen_random_bytes(32));

-- Sealed payload: base64(iv 16 bytes || ciphertext || tag 32 bytes) of '<channel> <message>'; the channel inside
-- the seal keeps a payload sealed for one feed from being replayed on the other. Owner only: whoever may call it
-- may forge, so only the trigger functions below (running as the owner) do.
CREATE FUNCTION notification_seal(channel text, message text) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
    iv bytea := public.gen_random_bytes(16);
    sealed bytea;
BEGIN
    SELECT s.cipher_key, s.mac_key INTO STRICT k FROM public.notification_seal_key s WHERE s.id = 1;
    sealed := iv || public.encrypt_iv(convert_to(channel || ' ' || message, 'UTF8'), k.cipher_key, iv,
                                      'aes-cbc/pad:pkcs');
    RETURN translate(encode(sealed || public.hmac(sealed, k.mac_key, 'sha256'), 'base64'), E'\n', '');
END
$$;
REVOKE ALL ON FUNCTION notification_seal(text, text) FROM PUBLIC;

-- The announcing trigger functions of 013 and 016, the same messages sealed. SECURITY DEFINER: the runtime role
-- fires them but may not call notification_seal itself; a fixed search_path so that nothing the caller could
-- create is looked up.
CREATE OR REPLACE FUNCTION announce_credential_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'credentials' THEN
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.tenant_id::text || ':' || changed.id));
    ELSIF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.id::text));
    ELSE
        PERFORM pg_notify('plugboard_credentials', public.notification_seal('plugboard_credentials',
                          changed.tenant_id::text));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION announce_credential_change() FROM PUBLIC;

CREATE OR REPLACE FUNCTION announce_portal_access_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_portal_access', public.notification_seal('plugboard_portal_access',
                          'tenant:' || changed.id::text));
    ELSE
        PERFORM pg_notify('plugboard_portal_access', public.notification_seal('plugboard_portal_access',
                          'user:' || changed.id::text));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION announce_portal_access_change() FROM PUBLIC;
