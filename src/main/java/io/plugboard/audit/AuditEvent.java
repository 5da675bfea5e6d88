package io.plugboard.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One stored audit event, as read back for the grid, the export and the chain verification. */
public record AuditEvent(long seq, Instant occurredAt, String actorType, @Nullable String actorId,
                         @Nullable String actorLabel, @Nullable UUID tenantId, @Nullable String tenantName,
                         String action, @Nullable String targetType, @Nullable String targetId,
                         @Nullable String reason, String details, @Nullable String sourceIp,
                         @Nullable String userAgent, @Nullable Long chainIndex, @Nullable String prevHash,
                         @Nullable String hash) {

    /** Sealed: linked into the hash chain. An event is sealed shortly after its transaction commits. */
    public boolean sealed() {
        return hash != null;
    }

    AuditEvent withChain(long index, String prev, String ownHash) {
        return new AuditEvent(seq, occurredAt, actorType, actorId, actorLabel, tenantId, tenantName, action,
                targetType, targetId, reason, details, sourceIp, userAgent, index, prev, ownHash);
    }
}
