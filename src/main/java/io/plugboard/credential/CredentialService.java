package io.plugboard.credential;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.Destination;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.TokenOrigin;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.CurrentUser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Credentials of a tenant. Reads for anyone acting in the tenant; changes for tenant admins, the tenant's
 * backend and customer success who enabled changes for their support session. An API token whose subject is an end user sees and changes only that end user's
 * credentials.
 */
@Service
@Transactional(readOnly = true)
public class CredentialService {

    /** The grid counts exactly up to here and says "more than" beyond; a full count of millions is wasted work. */
    public static final long COUNT_CAP = 100_000;
    private static final int MAX_PAGE = 500;

    private final CredentialStore store;
    private final TenantConnectors catalog;
    private final IntegrationService integrations;
    private final RevocationQueue revocations;
    private final RevocationWorker worker;
    private final SecretVault vault;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CredentialService(CredentialStore store, TenantConnectors catalog, IntegrationService integrations,
                      RevocationQueue revocations, RevocationWorker worker, SecretVault vault, AuditLog audit, CurrentUser currentUser,
                      ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.integrations = integrations;
        this.revocations = revocations;
        this.worker = worker;
        this.vault = vault;
        this.audit = audit;
        this.currentUser = currentUser;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- reads

    /** One page by position, from the top of the order (a grid that keeps no {@link GridBookmarks}). */
    @PreAuthorize("isAuthenticated()")
    public List<CredentialView> list(UUID tenantId, CredentialFilter filter, Pageable page) {
        return list(tenantId, filter, page, new GridBookmarks());
    }

    /**
     * One page by position for a lazy grid, newest first unless the page's sort is ascending: started from the
     * nearest row the grid has already fetched ({@code bookmarks}), so scrolling on, or back, from a page is a
     * seek rather than an offset over every row before it.
     */
    @PreAuthorize("isAuthenticated()")
    public List<CredentialView> list(UUID tenantId, CredentialFilter filter, Pageable page, GridBookmarks bookmarks) {
        currentUser.requireTenant(tenantId);
        boolean ascending = page.getSort().stream().findFirst().map(Sort.Order::isAscending).orElse(false);
        if (otherEndUser(filter)) {
            return List.of();
        }
        var listing = new GridBookmarks.Listing(tenantId, scoped(filter), ascending);
        int offset = (int) Math.min(page.getOffset(), Integer.MAX_VALUE);
        int limit = Math.min(page.getPageSize(), MAX_PAGE);
        var start = bookmarks.start(listing, offset, limit);
        List<CredentialView> rows = store.page(tenantId, listing.filter(), ascending, start.from(), start.backward(),
                start.skip(), limit);
        if (start.backward() && rows.size() < limit) {
            // Fewer rows above a known row than its position says: rows left the listing since. Start over.
            bookmarks.clear();
            rows = store.page(tenantId, listing.filter(), ascending, null, false, offset, limit);
        }
        bookmarks.remember(listing, offset, rows);
        return rows;
    }

    /** Exact up to {@link #COUNT_CAP}. */
    @PreAuthorize("isAuthenticated()")
    public long count(UUID tenantId, CredentialFilter filter) {
        currentUser.requireTenant(tenantId);
        if (otherEndUser(filter)) {
            return 0;
        }
        return store.count(tenantId, scoped(filter), COUNT_CAP);
    }

    @PreAuthorize("isAuthenticated()")
    public CredentialPage listAfter(UUID tenantId, CredentialFilter filter, @Nullable String cursor, int limit) {
        currentUser.requireTenant(tenantId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit: must be between 1 and " + MAX_PAGE);
        }
        if (otherEndUser(filter)) {
            return new CredentialPage(List.of(), null);
        }
        List<CredentialView> items = store.after(tenantId, scoped(filter),
                cursor == null ? null : Cursor.decode(cursor), limit + 1);
        if (items.size() <= limit) {
            return new CredentialPage(items, null);
        }
        var page = items.subList(0, limit);
        var last = page.getLast();
        return new CredentialPage(List.copyOf(page), new Cursor(last.createdAt(), last.id()).encode());
    }

    @PreAuthorize("isAuthenticated()")
    public CredentialView get(UUID tenantId, String id) {
        currentUser.requireTenant(tenantId);
        return visible(tenantId, id);
    }

    /**
     * The credentials of these ids that the caller may see, by id, in one statement: for a page that lists other
     * records and shows each one's credential.
     */
    @PreAuthorize("isAuthenticated()")
    public Map<String, CredentialView> get(UUID tenantId, Collection<String> ids) {
        currentUser.requireTenant(tenantId);
        String onlyEndUser = endUserScope();
        var found = new LinkedHashMap<String, CredentialView>();
        if (ids.isEmpty()) {
            return found;
        }
        for (CredentialView view : store.findAll(tenantId, ids)) {
            if (onlyEndUser == null || onlyEndUser.equals(view.endUserId())) {
                found.put(view.id(), view);
            }
        }
        return found;
    }

    @PreAuthorize("isAuthenticated()")
    public Map<CredentialStatus, Long> countByStatus(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return store.countByStatus(tenantId);
    }

    /** Values in use for one metadata key, for filter suggestions (e.g. every venue). */
    @PreAuthorize("isAuthenticated()")
    public List<String> metadataValues(UUID tenantId, String key) {
        currentUser.requireTenant(tenantId);
        return store.metadataValues(tenantId, key, 200);
    }

    @PreAuthorize("isAuthenticated()")
    public List<EndUserView> endUsers(UUID tenantId, @Nullable String after, int limit) {
        currentUser.requireTenant(tenantId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit: must be between 1 and " + MAX_PAGE);
        }
        Inputs.noNul("after", after);
        String onlyEndUser = endUserScope();
        if (onlyEndUser != null) {
            return store.endUser(tenantId, onlyEndUser).stream().toList();
        }
        return store.endUsers(tenantId, after, limit);
    }

    // ---------------------------------------------------------------- changes

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_CLIENT')")
    @Transactional
    public CredentialView create(UUID tenantId, NewCredential request) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = connector(tenantId, request.appKey());
        ConnectorDefinition connector = entry.definition();
        if (!integrations.enabled(tenantId, connector.appKey())) {
            throw new InvalidRequestException("appKey: " + connector.name() + " is not enabled for this tenant");
        }
        String endUser = endUserId(request.endUserId());
        String onlyEndUser = endUserScope();
        if (onlyEndUser != null && !onlyEndUser.equals(endUser)) {
            throw new InvalidRequestException("endUserId: this token may only create credentials for " + onlyEndUser);
        }
        var split = ConnectionFields.validate(connector, request.fields());
        var config = new HashMap<>(split.config());
        CredentialSecret secret = secretOf(connector, split, request.tokens(), config);
        ConnectionFields.baseUrl(connector, config);
        Map<String, Object> metadata = MetadataRules.validate(connector, request.metadata());
        String label = label(request.label());

        Instant now = clock.instant();
        UUID endUserRow = store.upsertEndUser(tenantId, endUser, text("endUserEmail", request.endUserEmail(), 254),
                text("endUserName", request.endUserName(), 200), now);
        String id = CredentialIds.next();
        // Entered for the connector's destination as it is now: it opens for that one only.
        String destination = Destination.of(connector).fingerprint();
        byte[] sealed = vault.seal(CredentialIds.binding(tenantId, id, destination),
                CredentialStore.JSON.writeValueAsString(secret));
        List<String> scopes = scopes(request.tokens());
        store.insert(tenantId, id, connector.appKey(), endUserRow, label, sealed, destination, metadata, config, scopes,
                secret.expiresAt(), now);
        audit.record(AuditRecord.of("credential.created", tenantId).target("credential", id)
                .detail("connector", connector.appKey()).detail("endUser", endUser)
                .detail("source", request.tokens() == null && connector.authMode().oauth() ? "form" : "import")
                .detail("metadata", metadata));
        CredentialView created = store.find(tenantId, id).orElseThrow();
        events.publishEvent(CredentialEvents.Created.of(tenantId, created));
        return created;
    }

    /**
     * Re-authenticates an existing credential (e.g. after REFRESH_FAILED) and keeps its id, so the
     * tenant's stored credentialId stays valid. Revoked credentials cannot come back.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional
    public CredentialView reconnect(UUID tenantId, String id, NewCredential request) {
        currentUser.requireWritableTenant(tenantId);
        CredentialView current = visible(tenantId, id);
        if (current.status() == CredentialStatus.REVOKED) {
            throw new InvalidRequestException("A revoked credential cannot be reconnected; connect a new one.");
        }
        if (!current.appKey().equals(request.appKey())) {
            throw new InvalidRequestException("appKey: a reconnect must use " + current.appKey());
        }
        ConnectorDefinition connector = connector(tenantId, current.appKey()).definition();
        var split = ConnectionFields.validate(connector, request.fields());
        var config = new HashMap<>(split.config());
        CredentialSecret secret = secretOf(connector, split, request.tokens(), config);
        ConnectionFields.baseUrl(connector, config);
        // The newly entered secret is bound to the destination of now: this is what ends NEEDS_RECONNECT.
        String destination = Destination.of(connector).fingerprint();
        byte[] sealed = vault.seal(CredentialIds.binding(tenantId, id, destination),
                CredentialStore.JSON.writeValueAsString(secret));
        List<String> scopes = request.tokens() == null || request.tokens().scopes() == null
                ? current.scopes() : request.tokens().scopes();
        store.replaceSecret(tenantId, id, sealed, destination, config, scopes, secret.expiresAt(), clock.instant());
        if (request.metadata() != null && !request.metadata().isEmpty()) {
            var merged = new HashMap<>(current.metadata());
            merged.putAll(request.metadata());
            // Validated as merged, written as only the keys given: what others changed meanwhile is not written back.
            var validated = MetadataRules.validate(connector, merged);
            var set = new HashMap<String, Object>();
            var removed = new ArrayList<String>();
            for (String key : request.metadata().keySet()) {
                if (validated.containsKey(key)) {
                    set.put(key, validated.get(key));
                } else {
                    removed.add(key);
                }
            }
            store.mergeMetadata(tenantId, id, set, removed, clock.instant());
        }
        audit.record(AuditRecord.of("credential.reconnected", tenantId).target("credential", id)
                .detail("connector", current.appKey()).detail("endUser", current.endUserId())
                .detail("previousStatus", current.status().name()));
        CredentialView reconnected = store.find(tenantId, id).orElseThrow();
        events.publishEvent(CredentialEvents.Reconnected.of(tenantId, reconnected));
        return reconnected;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional
    public CredentialView update(UUID tenantId, String id, CredentialChange change) {
        currentUser.requireWritableTenant(tenantId);
        CredentialView current = visible(tenantId, id);
        if (current.status() == CredentialStatus.REVOKED) {
            throw new InvalidRequestException("A revoked credential cannot be changed.");
        }
        ConnectorDefinition connector = connector(tenantId, current.appKey()).definition();
        Map<String, Object> metadata = change.metadata() == null ? current.metadata()
                : MetadataRules.validate(connector, change.metadata());
        String label = change.label() == null ? current.label() : label(change.label());
        store.updateMetadata(tenantId, id, change.label() != null, label, change.metadata() == null ? null : metadata,
                clock.instant());
        CredentialView updated = store.find(tenantId, id).orElseThrow();
        if (!Objects.equals(metadata, current.metadata()) || !Objects.equals(label, current.label())) {
            audit.record(AuditRecord.of("credential.metadata.updated", tenantId).target("credential", id)
                    .detail("connector", current.appKey()).detail("endUser", current.endUserId())
                    .detail("before", current.metadata())
                    .detail("after", metadata).detail("label", label == null ? "" : label));
            events.publishEvent(CredentialEvents.MetadataUpdated.of(tenantId, updated));
        }
        return updated;
    }

    /**
     * Revokes at the provider where the connector can, then locally: the secret is destroyed and the row kept. The
     * provider is tried once here, outside any transaction; if it did not get through, the attempt is queued and
     * retried in the background ({@link RevocationQueue}), and the credential's {@code providerRevocation} says so.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public CredentialView revoke(UUID tenantId, String id) {
        currentUser.requireWritableTenant(tenantId);
        return revokeOne(tenantId, id, true);
    }

    /**
     * Revokes each here at once, like {@link #revoke}, but leaves the provider to the background: a token to revoke
     * there is queued as pending and due at once, and the worker, woken here, sends them side by side. So revoking a
     * hundred credentials of a provider that hangs takes as long as the local revocations, not a hundred timeouts;
     * each credential's {@code providerRevocation} says {@code pending} until its attempt is made.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public int revokeAll(UUID tenantId, Collection<String> ids) {
        currentUser.requireWritableTenant(tenantId);
        int revoked = 0;
        try {
            for (String id : ids) {
                if (revokeOne(tenantId, id, false).status() == CredentialStatus.REVOKED) {
                    revoked++;
                }
            }
        } finally {
            // Each revocation committed on its own; whatever was queued before a failure is sent all the same.
            worker.wake();
        }
        return revoked;
    }

    private CredentialView revokeOne(UUID tenantId, String id, boolean attemptNow) {
        CredentialView current = visible(tenantId, id);
        if (current.status() == CredentialStatus.REVOKED) {
            return current;
        }
        var row = store.secretRow(tenantId, id).orElseThrow(() -> new NotFoundException("Credential"));
        RevocationQueue.FirstAttempt first = attemptNow ? revocations.attemptFirst(tenantId, row)
                : revocations.queueFirst(tenantId, row);
        String by = actorLabel();
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            if (store.revoke(tenantId, id, by, now) == 0) {
                return;
            }
            revocations.record(tenantId, id, row.appKey(), row.endUserExternalId(), first, now);
            audit.record(AuditRecord.of("credential.revoked", tenantId).target("credential", id)
                    .detail("connector", row.appKey()).detail("endUser", row.endUserExternalId())
                    .detail("provider", first.status().label() + ": " + first.detail()));
            events.publishEvent(CredentialEvents.Revoked.of(tenantId, store.find(tenantId, id).orElseThrow()));
        });
        return store.find(tenantId, id).orElseThrow();
    }

    // ---------------------------------------------------------------- helpers

    private CredentialView visible(UUID tenantId, String id) {
        if (!CredentialIds.wellFormed(id)) {
            throw new NotFoundException("Credential");
        }
        CredentialView view = store.find(tenantId, id).orElseThrow(() -> new NotFoundException("Credential"));
        String onlyEndUser = endUserScope();
        if (onlyEndUser != null && !onlyEndUser.equals(view.endUserId())) {
            throw new NotFoundException("Credential");
        }
        return view;
    }

    private CredentialFilter scoped(CredentialFilter filter) {
        Inputs.noNul("appKey", filter.appKey());
        Inputs.noNul("endUserId", filter.endUserId());
        Inputs.noNul("metadata", filter.metadataKey());
        Inputs.noNul("metadata", filter.metadataValue());
        Inputs.noNul("text", filter.text());
        String onlyEndUser = endUserScope();
        return onlyEndUser == null ? filter : filter.withEndUser(onlyEndUser);
    }

    /** An end-user token filtering by another end user: the intersection is empty, not the token's own. */
    private boolean otherEndUser(CredentialFilter filter) {
        String onlyEndUser = endUserScope();
        return onlyEndUser != null && filter.endUserId() != null && !filter.endUserId().isBlank()
                && !filter.endUserId().strip().equals(onlyEndUser);
    }

    private @Nullable String endUserScope() {
        return currentUser.apiClient().map(ApiPrincipal::endUserId).orElse(null);
    }

    private CatalogEntry connector(UUID tenantId, @Nullable String appKey) {
        if (appKey == null || appKey.isBlank()) {
            throw new InvalidRequestException("appKey: is required");
        }
        return catalog.find(tenantId, appKey)
                .orElseThrow(() -> new InvalidRequestException("appKey: unknown connector '" + appKey + "'"));
    }

    private static CredentialSecret secretOf(ConnectorDefinition connector, ConnectionFields.Split split,
                                             NewCredential.@Nullable Tokens tokens, Map<String, String> config) {
        boolean needsTokens = connector.authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
        if (tokens == null) {
            if (needsTokens) {
                throw new InvalidRequestException("tokens: " + connector.name() + " is an OAuth connector; "
                        + "give the access token (and refresh token, expiry) to import it");
            }
            return CredentialSecret.ofFields(split.secret());
        }
        if (!connector.authMode().oauth()) {
            throw new InvalidRequestException("tokens: " + connector.name() + " does not use OAuth tokens");
        }
        if (tokens.accessToken() == null || tokens.accessToken().isBlank()) {
            throw new InvalidRequestException("tokens.accessToken: is required");
        }
        var kept = connector.oauth().tokenResponseFields();
        if (tokens.extra() != null && kept != null) {
            tokens.extra().forEach((k, v) -> {
                if (kept.contains(k) && v != null) {
                    Inputs.noNul("tokens.extra." + k, v);
                    config.put(k, v);
                }
            });
        }
        String tokenServer = connector.oauth().tokenUrlFromCallback();
        if (tokens.extra() != null && tokenServer != null && tokens.extra().get(tokenServer) != null) {
            // The account's own accounts server, where its refreshes go: only ever one of the connector's hosts.
            config.put(tokenServer, TokenOrigin.allowed(connector, tokens.extra().get(tokenServer)).toString());
        }
        return new CredentialSecret(split.secret(), tokens.accessToken(), blankToNull(tokens.refreshToken()),
                blankToNull(tokens.tokenType()), tokens.expiresAt());
    }

    private String actorLabel() {
        return currentUser.principal().map(p -> p.email())
                .or(() -> currentUser.apiClient().map(c -> "api:" + c.subject()))
                .orElse("system");
    }

    private static String endUserId(@Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("endUserId: is required");
        }
        Inputs.notReservedEndUserId("endUserId", value);
        return text("endUserId", value, 200);
    }

    private static @Nullable String label(@Nullable String value) {
        return text("label", value, 200);
    }

    /** A single-line value that fits its column; blank means none. */
    private static @Nullable String text(String field, @Nullable String value, int max) {
        if (value != null && value.strip().length() > max) {
            throw new InvalidRequestException(field + ": must be at most " + max + " characters");
        }
        Inputs.singleLine(field, value);
        return blankToNull(value);
    }

    /** Scope tokens as RFC 6749 §3.3 defines them (no spaces: they are stored space-separated), fitting the column. */
    private static List<String> scopes(NewCredential.@Nullable Tokens tokens) {
        List<String> scopes = tokens == null || tokens.scopes() == null ? List.of() : tokens.scopes();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (scope == null || scope.isEmpty()
                    || scope.chars().anyMatch(c -> c < 0x21 || c == '"' || c == '\\' || c > 0x7e)) {
                throw new InvalidRequestException("tokens.scopes: '" + (scope == null ? "null" : scope.strip())
                        + "' is not an OAuth scope (printable ASCII without spaces, quotes or backslashes)");
            }
        }
        if (String.join(" ", scopes).length() > 2000) {
            throw new InvalidRequestException("tokens.scopes: at most 2000 characters in all");
        }
        return scopes;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
