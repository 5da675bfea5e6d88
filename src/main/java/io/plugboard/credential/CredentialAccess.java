package io.plugboard.credential;

import io.plugboard.connector.ConnectorDefinition;
import java.util.Map;
import java.util.UUID;

/**
 * What a call to the provider needs: the connector, the credential's opened secret and its settings.
 * Held only for the duration of one call, never logged (toString hides the secret).
 */
public record CredentialAccess(UUID tenantId, String credentialId, String endUserId, ConnectorDefinition connector,
                               CredentialStatus status, CredentialSecret secret, Map<String, String> config) {

    /** Form fields and settings together: what auth templates and the base URL are filled from. */
    public Map<String, String> values() {
        var all = new java.util.HashMap<>(config);
        all.putAll(secret.fields());
        return all;
    }

    @Override
    public String toString() {
        return "CredentialAccess[" + credentialId + ", " + connector.appKey() + ", " + status + "]";
    }
}
