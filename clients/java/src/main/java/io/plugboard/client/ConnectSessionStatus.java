package io.plugboard.client;

import java.time.Instant;
import java.util.List;

/** Where a connect session stands: {@code PENDING}, {@code COMPLETED} (with the credentials), {@code EXPIRED}, {@code CANCELLED}. */
public record ConnectSessionStatus(String sessionId, String status, String endUserId, Instant expiresAt,
                                   List<String> credentialIds) {

    public ConnectSessionStatus {
        credentialIds = credentialIds == null ? List.of() : List.copyOf(credentialIds);
    }

    public boolean isCompleted() {
        return "COMPLETED".equals(status);
    }
}
