--liquibase formatted sql

--changeset plugboard:013-credential-changes splitStatements:false
-- Every change that decides whether and how a credential may be used on a provider call is announced on
-- the channel plugboard_credentials when it commits (NOTIFY is transactional): each instance drops its
-- opened copies at once and skips the per-call read while it is listening (CredentialChanges). Triggers
-- rather than application code, so every writer is covered: services, jobs, other instances, manual SQL.
-- Payload: '<tenant id>:<credential id>' for one credential, '<tenant id>' for all of a tenant's.
CREATE FUNCTION announce_credential_change() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'credentials' THEN
        PERFORM pg_notify('plugboard_credentials', changed.tenant_id::text || ':' || changed.id);
    ELSIF TG_TABLE_NAME = 'tenants' THEN
        PERFORM pg_notify('plugboard_credentials', changed.id::text);
    ELSE
        PERFORM pg_notify('plugboard_credentials', changed.tenant_id::text);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Not last_used_at, labels, metadata or timestamps: the call log's batched updates must stay silent.
CREATE TRIGGER credentials_announce_update AFTER UPDATE ON credentials FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.secret IS DISTINCT FROM NEW.secret
          OR OLD.config IS DISTINCT FROM NEW.config OR OLD.app_key IS DISTINCT FROM NEW.app_key
          OR OLD.end_user_id IS DISTINCT FROM NEW.end_user_id OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION announce_credential_change();
CREATE TRIGGER credentials_announce_delete AFTER DELETE ON credentials FOR EACH ROW
    EXECUTE FUNCTION announce_credential_change();

CREATE TRIGGER tenants_announce_status AFTER UPDATE ON tenants FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION announce_credential_change();

-- Only the external id matters (an end-user token may use only its own credentials); e-mail and display name
-- change with every connect session and must stay silent.
CREATE TRIGGER end_users_announce_external_id AFTER UPDATE ON end_users FOR EACH ROW
    WHEN (OLD.external_id IS DISTINCT FROM NEW.external_id)
    EXECUTE FUNCTION announce_credential_change();
CREATE TRIGGER end_users_announce_delete AFTER DELETE ON end_users FOR EACH ROW
    EXECUTE FUNCTION announce_credential_change();

CREATE TRIGGER custom_connectors_announce AFTER INSERT OR UPDATE OR DELETE ON custom_connectors FOR EACH ROW
    EXECUTE FUNCTION announce_credential_change();
