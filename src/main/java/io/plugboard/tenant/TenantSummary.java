package io.plugboard.tenant;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

public record TenantSummary(UUID id, String slug, String name, boolean active, String clientId,
                            Instant createdAt, @Nullable Instant suspendedAt) {

    static TenantSummary of(Tenant tenant) {
        return new TenantSummary(tenant.id(), tenant.slug(), tenant.name(), tenant.active(), tenant.clientId(),
                tenant.createdAt(), tenant.suspendedAt());
    }
}
