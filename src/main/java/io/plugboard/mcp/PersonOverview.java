package io.plugboard.mcp;

import io.plugboard.universal.Note;
import io.plugboard.universal.Person;
import io.plugboard.universal.Task;
import io.plugboard.universal.UniversalException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What an assistant wants to know about one person at once: the person, their notes and their open tasks, each
 * read through the same credential. A CRM that cannot list notes or tasks (no mapping, no such list, or a
 * credential without the scope) says so in that member rather than failing the whole overview; any other
 * failure (a rate limit, an outage) fails it, as the REST call would.
 */
record PersonOverview(Person person, Part<Note> notes, Part<Task> openTasks) {

    /**
     * One list of the overview.
     *
     * @param items       the CRM's first page for the person (tasks: those not completed)
     * @param unavailable why the CRM could not give the list, or null
     */
    record Part<T>(List<T> items, @Nullable String unavailable) {

        static <T> Part<T> of(Supplier<List<T>> read) {
            try {
                return new Part<>(read.get(), null);
            } catch (UniversalException e) {
                if (e.status() == 501 || e.status() == 403 || e.status() == 404) {
                    return new Part<>(List.of(), e.getMessage());
                }
                throw e;
            }
        }
    }
}
