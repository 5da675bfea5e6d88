package io.plugboard.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What happened, as handed to {@link AuditLog}. Details must never hold a secret.
 *
 * @param action dotted name such as {@code user.signin.failed}
 */
public record AuditRecord(String action, @Nullable UUID tenantId, @Nullable String targetType,
                          @Nullable String targetId, @Nullable String reason, Map<String, Object> details) {

    public static AuditRecord of(String action, @Nullable UUID tenantId) {
        return new AuditRecord(action, tenantId, null, null, null, Map.of());
    }

    public AuditRecord target(String type, Object id) {
        return new AuditRecord(action, tenantId, type, String.valueOf(id), reason, details);
    }

    public AuditRecord reason(@Nullable String why) {
        return new AuditRecord(action, tenantId, targetType, targetId, why, details);
    }

    public AuditRecord detail(String key, @Nullable Object value) {
        var more = new LinkedHashMap<>(details);
        more.put(key, value == null ? "" : value);
        return new AuditRecord(action, tenantId, targetType, targetId, reason, more);
    }
}
