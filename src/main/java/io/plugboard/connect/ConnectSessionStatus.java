package io.plugboard.connect;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * @param status PENDING, COMPLETED, EXPIRED or CANCELLED
 * @param locale the language its connect pages speak, as asked for when it was created; null: the browser's
 */
public record ConnectSessionStatus(String sessionId, String status, String endUserId, Instant expiresAt,
                                   List<String> credentialIds,
                                   @Schema(description = "The language asked for when the session was created "
                                           + "(BCP 47); absent: the browser's", example = "de-AT") @Nullable String locale) {
}
