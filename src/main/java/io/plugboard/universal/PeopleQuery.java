package io.plugboard.universal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A list request: page size, the caller's cursor and the filters (each null when not asked for). */
public record PeopleQuery(@Nullable Integer limit, @Nullable String cursor, @Nullable Instant updatedSince,
                          @Nullable String email, @Nullable String phone, @Nullable String q) {
}
