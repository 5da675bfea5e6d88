package io.plugboard.client;

import java.time.Instant;
import java.util.List;

/**
 * Where a connect session stands: {@code PENDING}, {@code COMPLETED} (with the credentials), {@code EXPIRED},
 * {@code CANCELLED}; {@code locale} is the language asked for when it was created, null when the browser's decides.
 */
public record ConnectSessionStatus(String sessionId, String status, String endUserId, Instant expiresAt,
                                   List<String> credentialIds, String locale) {

    public ConnectSessionStatus {
        credentialIds = credentialIds == null ? List.of() : List.copyOf(credentialIds);
    }

    public boolean isCompleted() {
        return "COMPLETED".equals(status);
    }
}
