package io.plugboard.sandbox;

import io.plugboard.tenant.ConditionalOnDemoMode;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
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
 * The sandbox provider's API, what Plugboard's proxy calls on the end user's behalf. Every call needs a
 * bearer access token from the sandbox (checked by the resource-server chain in
 * {@link SandboxConfiguration}); the token's subject is the account whose contacts are used.
 */
@RestController
@ConditionalOnDemoMode
@RequestMapping(SandboxUrls.API)
class SandboxApi {

    record Me(String id, @Nullable String email, String name, List<String> scopes, @Nullable String clientId) {
    }

    record NewContact(@Nullable String name, @Nullable String email, @Nullable String phone, @Nullable String company) {
    }

    private final SandboxContacts contacts;
    private final SandboxUrls urls;

    SandboxApi(SandboxContacts contacts, SandboxUrls urls) {
        this.contacts = contacts;
        this.urls = urls;
    }

    /** Protected resource metadata (RFC 9728), named in every 401's WWW-Authenticate; public. */
    @GetMapping("/metadata")
    Map<String, Object> metadata() {
        return Map.of("resource", urls.api(), "authorization_servers", List.of(urls.issuer()),
                "scopes_supported", SandboxConnector.SCOPES, "bearer_methods_supported", List.of("header"),
                "resource_name", "Sandbox CRM API");
    }

    @GetMapping("/me")
    Me me(@AuthenticationPrincipal Jwt token) {
        String subject = token.getSubject();
        List<String> audience = token.getAudience();
        boolean person = subject.contains("@");
        return new Me(subject, person ? subject : null, person ? SandboxUsers.displayName(subject) : subject,
                scopes(token), audience == null || audience.isEmpty() ? null : audience.getFirst());
    }

    /**
     * Oldest first. Optional filters (e-mail, a name fragment {@code q}, changed since {@code updatedSince}) and
     * paging ({@code limit}, {@code offset}); {@code total} counts the contacts the filters match.
     */
    @GetMapping("/contacts")
    ResponseEntity<?> contacts(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) @Nullable String email,
                               @RequestParam(required = false) @Nullable String q,
                               @RequestParam(required = false) @Nullable String updatedSince,
                               @RequestParam(required = false) @Nullable Integer limit,
                               @RequestParam(required = false) @Nullable Integer offset) {
        Instant since;
        try {
            since = updatedSince == null ? null : OffsetDateTime.parse(updatedSince).toInstant();
        } catch (DateTimeParseException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "updatedSince is not an ISO-8601 timestamp.");
        }
        if ((limit != null && (limit < 1 || limit > SandboxContacts.MAX_CONTACTS)) || (offset != null && offset < 0)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request",
                    "limit is 1 to " + SandboxContacts.MAX_CONTACTS + ", offset at least 0.");
        }
        var matching = contacts.all(token.getSubject()).stream()
                .filter(c -> email == null || email.equalsIgnoreCase(c.email()))
                .filter(c -> q == null || c.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                .filter(c -> since == null || !c.updatedAt().isBefore(since))
                .toList();
        int from = Math.min(offset == null ? 0 : offset, matching.size());
        int to = limit == null ? matching.size() : Math.min(matching.size(), from + limit);
        return ResponseEntity.ok(Map.of("contacts", matching.subList(from, to), "total", matching.size()));
    }

    @GetMapping("/contacts/{id}")
    ResponseEntity<?> contact(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return contacts.find(token.getSubject(), id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found", "No contact " + id + "."));
    }

    @PostMapping("/contacts")
    ResponseEntity<?> add(@AuthenticationPrincipal Jwt token, @RequestBody NewContact body) {
        String name = trimmed(body.name());
        String email = trimmed(body.email());
        String phone = trimmed(body.phone());
        String company = trimmed(body.company());
        String invalid = invalid(name, email, phone, company);
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", invalid);
        }
        return contacts.add(token.getSubject(), name, email, phone, company)
                .<ResponseEntity<?>>map(c -> ResponseEntity.created(URI.create(SandboxUrls.API + "/contacts/" + c.id())).body(c))
                .orElseGet(() -> error(HttpStatus.UNPROCESSABLE_CONTENT, "limit_reached",
                        "A sandbox account holds at most " + SandboxContacts.MAX_CONTACTS + " contacts."));
    }

    /** Changes the fields sent; the others stay as they are. */
    @PatchMapping("/contacts/{id}")
    ResponseEntity<?> change(@AuthenticationPrincipal Jwt token, @PathVariable String id, @RequestBody NewContact body) {
        String name = trimmed(body.name());
        String email = trimmed(body.email());
        String phone = trimmed(body.phone());
        String company = trimmed(body.company());
        String invalid = invalid(name == null ? "unchanged" : name, email, phone, company);
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", invalid);
        }
        return contacts.change(token.getSubject(), id, name, email, phone, company).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found", "No contact " + id + "."));
    }

    /** Unknown API paths answer in JSON like the rest of the API, not with a portal page. */
    @RequestMapping("/**")
    ResponseEntity<?> unknown() {
        return error(HttpStatus.NOT_FOUND, "not_found", "No such Sandbox CRM endpoint.");
    }

    private static List<String> scopes(Jwt token) {
        Object scope = token.getClaims().get("scope");
        if (scope instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return scope == null ? List.of() : List.of(scope.toString().split(" "));
    }

    private static @Nullable String invalid(@Nullable String name, @Nullable String email, @Nullable String phone,
                                            @Nullable String company) {
        if (name == null || name.length() > 100) {
            return "name is required (at most 100 characters).";
        }
        if (email != null && (email.length() > 200 || !email.matches("[^@\\s]+@[^@\\s]+"))) {
            return "email is not an e-mail address.";
        }
        if ((phone != null && phone.length() > 50) || (company != null && company.length() > 100)) {
            return "phone (50) or company (100) is too long.";
        }
        return null;
    }

    private static @Nullable String trimmed(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
    }
}
