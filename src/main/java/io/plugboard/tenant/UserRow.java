package io.plugboard.tenant;

import java.time.Instant;
import java.util.UUID;

public record UserRow(UUID id, String email, String displayName, String role, boolean enabled,
                      Instant createdAt, Instant updatedAt) {

    static UserRow of(PortalUser user) {
        return new UserRow(user.id(), user.email(), user.displayName(), user.role(), user.enabled(),
                user.createdAt(), user.updatedAt());
    }
}
