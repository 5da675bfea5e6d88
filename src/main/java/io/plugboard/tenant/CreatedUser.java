package io.plugboard.tenant;

import org.jspecify.annotations.Nullable;

public record CreatedUser(UserRow user, @Nullable String generatedPassword) {
}
