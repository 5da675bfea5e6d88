package io.plugboard.security;

import java.io.Serializable;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Who is signed in to the portal. Kept in the HTTP session, so it carries no secret. */
public record PortalPrincipal(UUID userId, String email, String displayName, String role,
                              @Nullable UUID tenantId, @Nullable String tenantName) implements Serializable {

    public boolean platformStaff() {
        return tenantId == null;
    }
}
