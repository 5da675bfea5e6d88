package io.plugboard.security;

import java.io.Serializable;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is signed in to the portal. Kept in the HTTP session, so it carries no secret.
 *
 * @param accessEpoch the user's {@code access_epoch} at sign-in: every request compares it with the row's, so a
 *                    disable, role change or password reset since sign-in ends the session ({@link PortalAccessFilter})
 */
public record PortalPrincipal(UUID userId, String email, String displayName, String role,
                              @Nullable UUID tenantId, @Nullable String tenantName, long accessEpoch)
        implements Serializable {

    public boolean platformStaff() {
        return tenantId == null;
    }
}
