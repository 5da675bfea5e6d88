package io.plugboard.api;

import io.plugboard.universal.Note;
import io.plugboard.universal.Person;
import io.plugboard.universal.Task;
import io.plugboard.universal.User;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The pages of the Universal CRM API as its OpenAPI description shows them: the engine's pages, and the
 * {@code syncedAt} that answers from synced records add beside their members.
 */
final class UniversalPages {

    private static final String CURSOR = "Opaque; pass it back as cursor for the next page, null on the last";
    private static final String SYNCED_AT = "Only in answers from synced records (X-Plugboard-Data: synced): when "
            + "the model's last complete sync pass ended, ISO-8601 UTC";

    private UniversalPages() {
    }

    @Schema(name = "PersonPage", description = "One page of people; nextCursor is null on the last page")
    record People(List<Person> items, @Schema(description = CURSOR) @Nullable String nextCursor,
                  @Schema(description = SYNCED_AT, example = "2026-12-07T21:00:04Z") @Nullable String syncedAt) {
    }

    @Schema(name = "NotePage", description = "One page of notes; nextCursor is null on the last page")
    record Notes(List<Note> items, @Schema(description = CURSOR) @Nullable String nextCursor,
                 @Schema(description = SYNCED_AT, example = "2026-12-07T21:00:04Z") @Nullable String syncedAt) {
    }

    @Schema(name = "TaskPage", description = "One page of tasks; nextCursor is null on the last page")
    record Tasks(List<Task> items, @Schema(description = CURSOR) @Nullable String nextCursor,
                 @Schema(description = SYNCED_AT, example = "2026-12-07T21:00:04Z") @Nullable String syncedAt) {
    }

    @Schema(name = "UserPage", description = "One page of users; nextCursor is null on the last page")
    record Users(List<User> items, @Schema(description = CURSOR) @Nullable String nextCursor,
                 @Schema(description = SYNCED_AT, example = "2026-12-07T21:00:04Z") @Nullable String syncedAt) {
    }
}
