package io.plugboard.sandbox;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.tenant.ConditionalOnDemoMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Each sandbox account's notes and tasks on its contacts, in memory like the contacts themselves: a sample of
 * each on first use, at most {@value #MAX_RECORDS} of each per account, the least recently used accounts go.
 */
@Component
@ConditionalOnDemoMode
class SandboxActivities {

    static final int MAX_RECORDS = 200;
    /** The account holder's own user id; the other users are fictional teammates. */
    static final String OWNER = "u_owner";

    record Note(String id, String contactId, String text, String author, Instant createdAt, Instant updatedAt) {
    }

    record Task(String id, String contactId, String title, @Nullable String notes, @Nullable Instant due, boolean done,
                @Nullable Instant doneAt, String assignee, Instant createdAt, Instant updatedAt) {
    }

    /** A change to a task: null leaves the field as it is. */
    record TaskChange(@Nullable String title, @Nullable String notes, @Nullable Instant due, @Nullable Boolean done,
                      @Nullable String assignee) {
    }

    private record Account(List<Note> notes, List<Task> tasks) {
    }

    private final Cache<String, Account> accounts = Caffeine.newBuilder().maximumSize(SandboxContacts.MAX_ACCOUNTS)
            .expireAfterAccess(Duration.ofDays(7)).build();
    private final Clock clock;

    SandboxActivities(Clock clock) {
        this.clock = clock;
    }

    List<Note> notes(String account) {
        var of = of(account);
        synchronized (of) {
            return List.copyOf(of.notes());
        }
    }

    List<Task> tasks(String account) {
        var of = of(account);
        synchronized (of) {
            return List.copyOf(of.tasks());
        }
    }

    /** Empty when the account already holds {@value #MAX_RECORDS} notes. */
    Optional<Note> addNote(String account, String contactId, String text) {
        var of = of(account);
        synchronized (of) {
            if (of.notes().size() >= MAX_RECORDS) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            var note = new Note(newId("n_"), contactId, text, OWNER, now, now);
            of.notes().add(note);
            return Optional.of(note);
        }
    }

    /** Empty when the account already holds {@value #MAX_RECORDS} tasks. */
    Optional<Task> addTask(String account, String contactId, TaskChange task) {
        var of = of(account);
        synchronized (of) {
            if (of.tasks().size() >= MAX_RECORDS) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            boolean done = Boolean.TRUE.equals(task.done());
            var created = new Task(newId("t_"), contactId, task.title() == null ? "" : task.title(), task.notes(),
                    task.due(), done, done ? now : null, task.assignee() == null ? OWNER : task.assignee(), now, now);
            of.tasks().add(created);
            return Optional.of(created);
        }
    }

    /** Completing a task stamps when; reopening it clears that. Empty when the account has no such task. */
    Optional<Task> changeTask(String account, String id, TaskChange change) {
        var of = of(account);
        synchronized (of) {
            var tasks = of.tasks();
            for (int i = 0; i < tasks.size(); i++) {
                Task old = tasks.get(i);
                if (old.id().equals(id)) {
                    Instant now = clock.instant();
                    boolean done = change.done() != null ? change.done() : old.done();
                    Instant doneAt = done ? (old.done() ? old.doneAt() : now) : null;
                    var changed = new Task(id, old.contactId(), change.title() != null ? change.title() : old.title(),
                            change.notes() != null ? change.notes() : old.notes(),
                            change.due() != null ? change.due() : old.due(), done, doneAt,
                            change.assignee() != null ? change.assignee() : old.assignee(), old.createdAt(), now);
                    tasks.set(i, changed);
                    return Optional.of(changed);
                }
            }
            return Optional.empty();
        }
    }

    private Account of(String account) {
        return accounts.get(account, key -> {
            Instant now = clock.instant();
            var notes = new ArrayList<Note>();
            notes.add(new Note("n_sample_1", "c_sample_1", "Met at the open house; wants a place with a workshop.",
                    OWNER, now, now));
            var tasks = new ArrayList<Task>();
            tasks.add(new Task("t_sample_1", "c_sample_2", "Send the listings in Arlington", null,
                    now.plus(Duration.ofDays(2)), false, null, OWNER, now, now));
            return new Account(notes, tasks);
        });
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
