package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of notes, tasks or users; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items,
                      @Schema(description = "Opaque; pass it back as cursor for the next page, null on the last")
                      @Nullable String nextCursor) {
}
