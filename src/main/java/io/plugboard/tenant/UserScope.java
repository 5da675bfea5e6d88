package io.plugboard.tenant;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Whose users: one tenant's, or the platform staff (no tenant). */
public record UserScope(@Nullable UUID tenantId) {

    public static UserScope tenant(UUID tenantId) {
        return new UserScope(tenantId);
    }

    public static UserScope platform() {
        return new UserScope(null);
    }

    public boolean platformStaff() {
        return tenantId == null;
    }
}
