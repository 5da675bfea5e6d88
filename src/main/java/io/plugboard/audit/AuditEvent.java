package io.plugboard.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One stored audit event, as read back for the grid, the export and the chain verification. */
public record AuditEvent(long seq, Instant occurredAt, String actorType, @Nullable String actorId,
                         @Nullable String actorLabel, @Nullable UUID tenantId, @Nullable String tenantName,
                         String action, @Nullable String targetType, @Nullable String targetId,
                         @Nullable String reason, String details, @Nullable String sourceIp,
                         @Nullable String userAgent, String prevHash, String hash) {
}
