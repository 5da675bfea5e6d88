package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;

/** A tenant to create, with its first admin. A blank password means "generate one". */
public record NewTenant(String slug, String name, String adminEmail, String adminDisplayName,
                        @Nullable String adminPassword) {
}
