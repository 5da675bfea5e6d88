package io.plugboard.dashboard;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Whose numbers the dashboard shows: one tenant's, or (platform staff only) all tenants' together. */
public record DashboardScope(@Nullable UUID tenantId) {

    public static DashboardScope allTenants() {
        return new DashboardScope(null);
    }

    public static DashboardScope tenant(UUID tenantId) {
        return new DashboardScope(tenantId);
    }

    public boolean isAllTenants() {
        return tenantId == null;
    }
}
