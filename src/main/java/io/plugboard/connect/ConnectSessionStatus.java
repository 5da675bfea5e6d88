package io.plugboard.connect;

import java.time.Instant;
import java.util.List;

/** @param status PENDING, COMPLETED, EXPIRED or CANCELLED */
public record ConnectSessionStatus(String sessionId, String status, String endUserId, Instant expiresAt,
                                   List<String> credentialIds) {
}
