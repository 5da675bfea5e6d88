package io.plugboard.security;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A tenant backend authenticated by a JWT. {@code endUserId} is set when the token's subject names an
 * end user; such a token sees only that end user's credentials.
 */
public record ApiPrincipal(UUID tenantId, String tenantName, String clientId, String subject,
                           @Nullable String endUserId) {

    /** Subjects of this form act for the tenant as a whole rather than for one end user. */
    public static boolean tenantLevel(String subject) {
        return subject.equals("tenant") || subject.startsWith("tenant:");
    }
}
