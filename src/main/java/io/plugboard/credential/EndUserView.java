package io.plugboard.credential;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** @param id the tenant's own id for the end user */
public record EndUserView(String id, @Nullable String email, @Nullable String displayName, Instant createdAt,
                          long activeCredentials) {
}
