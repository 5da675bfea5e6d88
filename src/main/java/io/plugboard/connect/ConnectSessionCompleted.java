package io.plugboard.connect;

import java.util.UUID;

/** Published when a connect session produced a credential (new or reconnected). */
public record ConnectSessionCompleted(UUID tenantId, String sessionId, String credentialId, String appKey,
                                      String endUserId, boolean reconnect) {
}
