package io.plugboard.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which events to show or export. {@code tenantId} null means platform-wide, which only platform
 * auditors and platform admins may ask for; the service enforces it.
 */
public record AuditFilter(@Nullable UUID tenantId, @Nullable Instant from, @Nullable Instant to,
                          @Nullable String actor, @Nullable String action, @Nullable String target) {

    public static AuditFilter forTenant(@Nullable UUID tenantId) {
        return new AuditFilter(tenantId, null, null, null, null, null);
    }
}
