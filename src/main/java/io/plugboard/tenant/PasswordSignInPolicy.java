package io.plugboard.tenant;

import java.util.UUID;

/**
 * Whether a tenant user may sign in with a password at all: a tenant that requires single sign-on refuses its users'
 * passwords, except the break-glass admin a platform admin named. Asked only once the password was right, so it
 * tells nothing to someone guessing.
 */
public interface PasswordSignInPolicy {

    boolean passwordRefused(UUID tenantId, UUID userId);
}
