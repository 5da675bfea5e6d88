package io.plugboard.connect;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * @param status PENDING, COMPLETED, EXPIRED or CANCELLED
 * @param locale the language its connect pages speak, as asked for when it was created; null: the browser's
 */
public record ConnectSessionStatus(String sessionId, String status, String endUserId, Instant expiresAt,
                                   List<String> credentialIds, @Nullable String locale) {
}
