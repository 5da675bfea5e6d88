package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;

/** A portal user to create. A blank password means "generate one and show it once". */
public record NewUser(String email, String displayName, String role, @Nullable String password) {
}
