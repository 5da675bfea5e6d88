package io.plugboard.api;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.Person;
import io.plugboard.universal.PersonInput;
import io.plugboard.universal.PersonInputs;
import io.plugboard.universal.PersonPage;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.UniversalException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Universal CRM API: the same paths and model whatever CRM the credential in {@code X-Credential-Id} is for.
 * An end user's token reaches only that end user's credentials (as with the proxy).
 */
@RestController
@RequestMapping(UniversalCrmApi.PREFIX)
@Tag(name = "Universal CRM", description = "One normalized API over every CRM a credential can be for")
class UniversalCrmApi {

    static final String PREFIX = "/api/v1/universal/crm";
    private static final int MAX_TEXT = 500;

    private final UniversalCrm crm;
    private final ApiTenant tenant;

    UniversalCrmApi(UniversalCrm crm, ApiTenant tenant) {
        this.crm = crm;
        this.tenant = tenant;
    }

    @GetMapping("/people")
    @Operation(summary = "People (contacts, leads) in the connected CRM, a page at a time",
            description = "Filters the CRM cannot apply answer 501. nextCursor is opaque; pass it back as cursor.")
    PersonPage listPeople(
            @Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true, example = "cred_3f9a")
            @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
            @Parameter(description = "1 to 100, default 25") @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            @Parameter(description = "ISO-8601, e.g. 2026-01-31T00:00:00Z: people changed since")
            @RequestParam(required = false) @Nullable String updatedSince,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String phone,
            @Parameter(description = "Free text (the CRM's name search)") @RequestParam(required = false) @Nullable String q,
            @Parameter(description = "original: add the CRM's untouched record") @RequestParam(required = false) @Nullable String include) {
        var query = new PeopleQuery(limit, TextInput.line("cursor", cursor, 8_000), instant(updatedSince),
                TextInput.line("email", email, MAX_TEXT), TextInput.line("phone", phone, MAX_TEXT),
                TextInput.line("q", q, MAX_TEXT));
        return crm.listPeople(caller(credentialId), query, original(include));
    }

    @GetMapping("/people/{id}")
    @Operation(summary = "One person")
    Person getPerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                     @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                     @PathVariable String id, @RequestParam(required = false) @Nullable String include) {
        return crm.getPerson(caller(credentialId), id, original(include));
    }

    @PostMapping(path = "/people", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a person in the connected CRM")
    ResponseEntity<Person> createPerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                                        @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                                        @RequestParam(required = false) @Nullable String include,
                                        @RequestBody PersonInput person) {
        PersonInputs.check(person, true);
        Person created = crm.createPerson(caller(credentialId), person, original(include));
        return ResponseEntity.created(URI.create(PREFIX + "/people/" + created.id())).body(created);
    }

    @PatchMapping(path = "/people/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a person: only the fields sent are changed")
    Person updatePerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                        @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                        @PathVariable String id, @RequestParam(required = false) @Nullable String include,
                        @RequestBody PersonInput person) {
        PersonInputs.check(person, false);
        return crm.updatePerson(caller(credentialId), id, person, original(include));
    }

    @ExceptionHandler(UniversalException.class)
    ResponseEntity<ProblemDetail> universal(UniversalException e) {
        var response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status() == 429) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds() == null ? 1 : e.retryAfterSeconds()));
        }
        return response.body(Problems.of(HttpStatus.valueOf(e.status()), e.type(), e.getMessage()));
    }

    private UniversalCrm.Caller caller(@Nullable String credentialId) {
        if (credentialId == null || credentialId.isBlank()) {
            throw new UniversalException(400, "missing-credential",
                    "Send the credential of the CRM to use in the X-Credential-Id header.");
        }
        var principal = tenant.principal();
        return new UniversalCrm.Caller(principal.tenantId(), credentialId.strip(), "api:" + principal.subject());
    }

    private static boolean original(@Nullable String include) {
        if (include == null || include.isBlank()) {
            return false;
        }
        if (!include.strip().equals("original")) {
            throw new InvalidRequestException("include: the only value is original");
        }
        return true;
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("updatedSince: must be an ISO-8601 timestamp, e.g. 2026-01-31T00:00:00Z");
        }
    }
}
