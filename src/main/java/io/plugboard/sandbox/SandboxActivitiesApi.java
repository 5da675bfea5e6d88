package io.plugboard.sandbox;

import io.plugboard.tenant.ConditionalOnDemoMode;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox's notes, tasks and users, so that every Universal CRM endpoint can be tried on the demo's own CRM.
 * Its shapes differ from the Universal model on purpose (contactId, text, due, done, assignee): the sandbox's
 * mapping shows how a CRM's own names are translated.
 */
@RestController
@ConditionalOnDemoMode
@RequestMapping(SandboxUrls.API)
class SandboxActivitiesApi {

    record NewNote(@Nullable String contactId, @Nullable String text) {
    }

    record NewTask(@Nullable String contactId, @Nullable String title, @Nullable String notes, @Nullable String due,
                   @Nullable Boolean done, @Nullable String assignee) {
    }

    record SandboxUser(String id, String name, @Nullable String email, String role, boolean active) {
    }

    private static final int MAX_TEXT = 5_000;

    private final SandboxContacts contacts;
    private final SandboxActivities activities;

    SandboxActivitiesApi(SandboxContacts contacts, SandboxActivities activities) {
        this.contacts = contacts;
        this.activities = activities;
    }

    /** Oldest first; {@code contactId} keeps one contact's; {@code limit} and {@code offset} page. */
    @GetMapping("/notes")
    ResponseEntity<?> notes(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) @Nullable String contactId,
                            @RequestParam(required = false) @Nullable Integer limit,
                            @RequestParam(required = false) @Nullable Integer offset) {
        var matching = activities.notes(token.getSubject()).stream()
                .filter(n -> contactId == null || n.contactId().equals(contactId)).toList();
        return page("notes", matching, limit, offset);
    }

    @PostMapping("/notes")
    ResponseEntity<?> addNote(@AuthenticationPrincipal Jwt token, @RequestBody NewNote body) {
        String invalid = contact(token, body.contactId());
        if (invalid == null && (body.text() == null || body.text().isBlank() || body.text().length() > MAX_TEXT)) {
            invalid = "text is required (at most " + MAX_TEXT + " characters).";
        }
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", invalid);
        }
        return activities.addNote(token.getSubject(), body.contactId(), body.text().strip())
                .<ResponseEntity<?>>map(n -> ResponseEntity.created(URI.create(SandboxUrls.API + "/notes/" + n.id())).body(n))
                .orElseGet(() -> full("notes"));
    }

    /** Oldest first; {@code contactId} keeps one contact's; {@code limit} and {@code offset} page. */
    @GetMapping("/tasks")
    ResponseEntity<?> tasks(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) @Nullable String contactId,
                            @RequestParam(required = false) @Nullable Integer limit,
                            @RequestParam(required = false) @Nullable Integer offset) {
        var matching = activities.tasks(token.getSubject()).stream()
                .filter(t -> contactId == null || t.contactId().equals(contactId)).toList();
        return page("tasks", matching, limit, offset);
    }

    @PostMapping("/tasks")
    ResponseEntity<?> addTask(@AuthenticationPrincipal Jwt token, @RequestBody NewTask body) {
        String invalid = contact(token, body.contactId());
        if (invalid == null && (body.title() == null || body.title().isBlank())) {
            invalid = "title is required.";
        }
        if (invalid == null) {
            invalid = invalid(body);
        }
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", invalid);
        }
        return activities.addTask(token.getSubject(), body.contactId(), change(body))
                .<ResponseEntity<?>>map(t -> ResponseEntity.created(URI.create(SandboxUrls.API + "/tasks/" + t.id())).body(t))
                .orElseGet(() -> full("tasks"));
    }

    /** Changes the fields sent; {@code "done": true} completes the task. */
    @PatchMapping("/tasks/{id}")
    ResponseEntity<?> changeTask(@AuthenticationPrincipal Jwt token, @PathVariable String id, @RequestBody NewTask body) {
        String invalid = invalid(body);
        if (invalid == null && body.title() != null && body.title().isBlank()) {
            invalid = "title cannot be empty.";
        }
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", invalid);
        }
        return activities.changeTask(token.getSubject(), id, change(body)).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found", "No task " + id + "."));
    }

    /** The account holder and two fictional teammates, so that tasks can be given to someone else. */
    @GetMapping("/users")
    ResponseEntity<?> users(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) @Nullable Integer limit,
                            @RequestParam(required = false) @Nullable Integer offset) {
        String subject = token.getSubject();
        return page("users", List.of(
                new SandboxUser(SandboxActivities.OWNER, SandboxUsers.displayName(subject),
                        subject.contains("@") ? subject : null, "owner", true),
                new SandboxUser("u_sample_1", "Sam Teammate", "sam@sandbox.example", "agent", true),
                new SandboxUser("u_sample_2", "Former Teammate", "former@sandbox.example", "agent", false)), limit, offset);
    }

    private @Nullable String contact(Jwt token, @Nullable String contactId) {
        if (contactId == null || contactId.isBlank()) {
            return "contactId is required.";
        }
        return contacts.find(token.getSubject(), contactId).isPresent() ? null : "contactId: no contact " + contactId + ".";
    }

    private static @Nullable String invalid(NewTask body) {
        if ((body.title() != null && body.title().length() > 200) || (body.notes() != null && body.notes().length() > MAX_TEXT)
                || (body.assignee() != null && body.assignee().length() > 100)) {
            return "title (200), notes (" + MAX_TEXT + ") or assignee (100) is too long.";
        }
        if (body.due() != null) {
            try {
                OffsetDateTime.parse(body.due());
            } catch (DateTimeParseException e) {
                return "due is not an ISO-8601 timestamp.";
            }
        }
        return null;
    }

    private static SandboxActivities.TaskChange change(NewTask body) {
        Instant due = body.due() == null ? null : OffsetDateTime.parse(body.due()).toInstant();
        return new SandboxActivities.TaskChange(body.title() == null ? null : body.title().strip(), body.notes(), due,
                body.done(), body.assignee());
    }

    private static ResponseEntity<?> page(String member, List<?> matching, @Nullable Integer limit,
                                          @Nullable Integer offset) {
        if ((limit != null && (limit < 1 || limit > SandboxActivities.MAX_RECORDS)) || (offset != null && offset < 0)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request",
                    "limit is 1 to " + SandboxActivities.MAX_RECORDS + ", offset at least 0.");
        }
        int from = Math.min(offset == null ? 0 : offset, matching.size());
        int to = limit == null ? matching.size() : Math.min(matching.size(), from + limit);
        var body = new LinkedHashMap<String, Object>();
        body.put(member, matching.subList(from, to));
        body.put("total", matching.size());
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<?> full(String what) {
        return error(HttpStatus.UNPROCESSABLE_CONTENT, "limit_reached",
                "A sandbox account holds at most " + SandboxActivities.MAX_RECORDS + " " + what + ".");
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
    }
}
