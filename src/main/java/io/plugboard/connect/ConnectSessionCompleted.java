package io.plugboard.connect;

import io.plugboard.credential.CredentialStatus;
import java.util.Map;
import java.util.UUID;

/**
 * Published, inside the transaction that stored it, when a connect session produced a credential (new or
 * reconnected). Carries the credential's status and metadata as stored, never a secret.
 */
public record ConnectSessionCompleted(UUID tenantId, String sessionId, String credentialId, String appKey,
                                      String endUserId, boolean reconnect, CredentialStatus status,
                                      Map<String, Object> metadata) {
}
