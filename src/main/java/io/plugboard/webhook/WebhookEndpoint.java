package io.plugboard.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint as the portal shows it: everything but its secrets.
 *
 * @param previousSecretUntil while in the future, the secret before the last rotation still signs too
 */
public record WebhookEndpoint(UUID id, String url, @Nullable String description, List<String> eventTypes,
                              boolean enabled, @Nullable String disabledReason, EndpointHealth health,
                              int consecutiveFailures, @Nullable Instant lastSuccessAt, @Nullable Instant lastFailureAt,
                              Instant secretRotatedAt, @Nullable Instant previousSecretUntil, Instant createdAt) {
}
