package io.plugboard.api;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import io.plugboard.credential.CredentialChange;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialImport;
import io.plugboard.credential.CredentialPage;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.EndUserView;
import io.plugboard.credential.NewCredential;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Credentials")
class CredentialsApi {

    private final CredentialService credentials;
    private final CredentialImport imports;
    private final ApiTenant tenant;

    CredentialsApi(CredentialService credentials, CredentialImport imports, ApiTenant tenant) {
        this.credentials = credentials;
        this.imports = imports;
        this.tenant = tenant;
    }

    record EndUserList(List<EndUserView> items, @Nullable String nextCursor) {
    }

    @GetMapping("/api/v1/end-users")
    @Operation(summary = "End users who have connected accounts, by id")
    EndUserList endUsers(@RequestParam(required = false) @Nullable String after,
                         @RequestParam(defaultValue = "50") int limit) {
        var items = credentials.endUsers(tenant.id(), TextInput.line("after", after, 200), limit);
        return new EndUserList(items, items.size() == limit ? items.getLast().id() : null);
    }

    @GetMapping("/api/v1/credentials")
    @Operation(summary = "Credentials, newest first, with cursor pagination")
    CredentialPage list(@RequestParam(required = false) @Nullable String appKey,
                        @RequestParam(required = false) @Nullable String endUserId,
                        @RequestParam(required = false) @Nullable String status,
                        @Parameter(description = "key=value, e.g. venue=Main Hall")
                        @RequestParam(required = false) @Nullable String metadata,
                        @RequestParam(required = false) @Nullable String cursor,
                        @RequestParam(defaultValue = "50") int limit) {
        TextInput.line("appKey", appKey, 50);
        TextInput.line("endUserId", endUserId, 200);
        TextInput.line("cursor", cursor, 200);
        String key = null;
        String value = null;
        if (metadata != null) {
            int eq = metadata.indexOf('=');
            if (eq <= 0) {
                throw new InvalidRequestException("metadata: use key=value, e.g. venue=Main Hall");
            }
            key = TextInput.line("metadata", metadata.substring(0, eq), TextInput.MAX_KEY);
            value = TextInput.line("metadata", metadata.substring(eq + 1), 500);
        }
        var filter = new CredentialFilter(appKey, status(status), endUserId, key, value, null, null, null);
        return credentials.listAfter(tenant.id(), filter, cursor, limit);
    }

    @GetMapping("/api/v1/credentials/{id}")
    @Operation(summary = "One credential (never its secret)")
    CredentialView get(@PathVariable String id) {
        return credentials.get(tenant.id(), id);
    }

    @PatchMapping("/api/v1/credentials/{id}")
    @Operation(summary = "Change the label or replace the metadata (validated against the connector)")
    CredentialView update(@PathVariable String id, @RequestBody CredentialChange change) {
        return credentials.update(tenant.id(), id, change);
    }

    @DeleteMapping("/api/v1/credentials/{id}")
    @Operation(summary = "Revoke: at the provider where possible, then here; the secret is destroyed")
    CredentialView revoke(@PathVariable String id) {
        return credentials.revoke(tenant.id(), id);
    }

    @PostMapping("/api/v1/credentials")
    @Operation(summary = "Import an existing credential (API key, basic, client credentials or OAuth tokens)")
    ResponseEntity<CredentialView> importCredential(@RequestBody NewCredential request) {
        CredentialView created = imports.importCredential(tenant.id(), request);
        return ResponseEntity.created(URI.create("/api/v1/credentials/" + created.id())).body(created);
    }

    private static @Nullable CredentialStatus status(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return CredentialStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status: must be one of " + java.util.Arrays.stream(CredentialStatus.values())
                    .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
        }
    }
}
