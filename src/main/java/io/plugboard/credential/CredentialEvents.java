package io.plugboard.credential;

import java.util.Map;
import java.util.UUID;

/** Application events other features (webhooks) react to. They carry ids and metadata, never a secret. */
public final class CredentialEvents {

    private CredentialEvents() {
    }

    public record Created(UUID tenantId, String credentialId, String appKey, String endUserId) {
    }

    public record Reconnected(UUID tenantId, String credentialId, String appKey, String endUserId) {
    }

    public record RefreshFailed(UUID tenantId, String credentialId, String appKey, String endUserId, String error) {
    }

    public record RefreshRecovered(UUID tenantId, String credentialId, String appKey, String endUserId) {
    }

    public record Revoked(UUID tenantId, String credentialId, String appKey, String endUserId) {
    }

    public record MetadataUpdated(UUID tenantId, String credentialId, String appKey, Map<String, Object> metadata) {
    }
}
