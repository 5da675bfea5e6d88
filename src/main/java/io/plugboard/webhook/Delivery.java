package io.plugboard.webhook;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event to one endpoint, as the delivery log shows it.
 *
 * @param lastResponse the start of the receiver's last answer (at most {@value WebhookSender#SNIPPET_CHARS} characters)
 * @param nextAttemptAt when the next attempt is due; null once delivered or given up
 */
public record Delivery(long id, String eventId, String eventType, UUID endpointId, String endpointUrl,
                       DeliveryStatus status, int attempts, @Nullable Integer lastStatusCode,
                       @Nullable String lastError, @Nullable String lastResponse, @Nullable Instant lastAttemptAt,
                       @Nullable Instant nextAttemptAt, @Nullable Instant deliveredAt, Instant createdAt) {
}
