package io.plugboard.connector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.CurrentUser;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A tenant's integrations: which connectors are enabled, and its own OAuth app at each provider.
 *
 * <p>Which connectors are enabled is asked with every connect session created, so it is kept per tenant for
 * {@link #ENABLED_CACHE_TTL}. A change on this instance drops the tenant's entry when its transaction ends, and
 * the transaction that made it reads the table; another instance sees the change within the TTL.
 */
@Service
@Transactional(readOnly = true)
public class IntegrationService {

    /** Who may change a tenant's integrations: its admins, customer success, and the tenant's own backend. */
    static final String EDITORS = "hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_TENANT')";

    /** How long another instance may still answer with the enabled connectors from before a change. */
    static final Duration ENABLED_CACHE_TTL = Duration.ofSeconds(5);

    private final IntegrationStore store;
    private final TenantConnectors catalog;
    private final SecretVault vault;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final ClientCredentialsTokens clientCredentials;
    private final String redirectUri;
    private final Cache<UUID, Set<String>> enabledByTenant = Caffeine.newBuilder()
            .expireAfterWrite(ENABLED_CACHE_TTL).maximumSize(10_000).build();
    /** Transaction resource key: the tenants whose integrations the current transaction changed. */
    private final Object changedInTransaction = new Object();

    IntegrationService(IntegrationStore store, TenantConnectors catalog, SecretVault vault, AuditLog audit,
                       CurrentUser currentUser, Clock clock, ClientCredentialsTokens clientCredentials,
                       @Value("${plugboard.public-url}") String publicUrl) {
        this.clientCredentials = clientCredentials;
        this.store = store;
        this.catalog = catalog;
        this.vault = vault;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
        this.redirectUri = publicUrl.replaceAll("/+$", "") + "/connect/oauth/callback";
    }

    /** The one redirect URI to register at every OAuth provider. */
    public String redirectUri() {
        return redirectUri;
    }

    @PreAuthorize("isAuthenticated()")
    public Map<String, IntegrationSettings> settings(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return store.all(tenantId).stream().map(row -> settingsOf(row, catalog.find(tenantId, row.appKey())))
                .collect(Collectors.toMap(IntegrationSettings::appKey, Function.identity()));
    }

    @PreAuthorize("isAuthenticated()")
    public IntegrationSettings settings(UUID tenantId, String appKey) {
        currentUser.requireTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        return store.find(tenantId, appKey).map(row -> settingsOf(row, Optional.of(entry)))
                .orElseGet(() -> IntegrationSettings.notConfigured(appKey, defaultScopes(entry)));
    }

    @PreAuthorize(EDITORS)
    @Transactional
    public IntegrationSettings update(UUID tenantId, String appKey, IntegrationUpdate update) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        var existing = store.find(tenantId, appKey);
        UUID id = existing.map(IntegrationStore.Row::id).orElseGet(UUID::randomUUID);
        String clientId = blankToNull(update.clientId());
        byte[] secret = existing.map(IntegrationStore.Row::clientSecret).orElse(null);
        String sealedFor = existing.map(IntegrationStore.Row::clientSecretDestination).orElse(null);
        boolean secretChanged = update.newClientSecret() != null && !update.newClientSecret().isBlank();
        Destination destination = Destination.of(entry.definition());
        if (secretChanged) {
            // Entered for the connector's destination as it is now, and usable for that one only.
            sealedFor = destination.fingerprint();
            secret = vault.seal(binding(tenantId, id, sealedFor), update.newClientSecret().strip());
        }
        if (clientId != null && clientId.length() > 500) {
            throw new InvalidRequestException("Client ID must be at most 500 characters.");
        }
        boolean needsApp = entry.definition().authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
        if (update.enabled() && needsApp && (clientId == null || secret == null || !destination.matches(sealedFor))) {
            throw new InvalidRequestException("Enter your OAuth app's client ID and client secret before enabling "
                    + entry.name() + ".");
        }
        List<String> scopes = update.scopes().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String scope : scopes) {
            if (scope.length() > 200 || scope.chars().anyMatch(c -> c < 0x21 || c == '"' || c == '\\' || c > 0x7e)) {
                throw new InvalidRequestException("Scope '" + scope + "' contains characters OAuth does not allow.");
            }
        }
        var row = new IntegrationStore.Row(id, appKey, update.enabled(), clientId, secret, sealedFor, scopes,
                clock.instant());
        store.upsert(tenantId, row, secretChanged);
        changedInThisTransaction(tenantId);
        audit.record(AuditRecord.of("integration.updated", tenantId).target("connector", appKey)
                .detail("enabled", update.enabled()).detail("clientId", clientId == null ? "" : clientId)
                .detail("clientSecretChanged", secretChanged).detail("scopes", String.join(" ", scopes)));
        // As stored: the secret columns may have changed since they were read.
        return settingsOf(store.find(tenantId, appKey).orElse(row), Optional.of(entry));
    }

    /**
     * Enables or disables the connector and leaves its OAuth app as it is. The row stays locked from reading it to
     * writing it, so an OAuth app saved at the same moment is not written back as it was.
     */
    @PreAuthorize(EDITORS)
    @Transactional
    public IntegrationSettings setEnabled(UUID tenantId, String appKey, boolean enabled) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        var current = store.lock(tenantId, appKey);
        return update(tenantId, appKey, new IntegrationUpdate(enabled,
                current.map(IntegrationStore.Row::clientId).orElse(null), null,
                current.map(IntegrationStore.Row::scopes).orElseGet(() -> defaultScopes(entry))));
    }

    /**
     * Sets the tenant's OAuth app and leaves whether the connector is enabled as it is: client ID, a new client
     * secret (null keeps the stored one, as the portal's empty field does) and scopes (null keeps them). Only
     * authorization-code connectors have an app of the tenant's; client-credentials connectors take scopes only
     * (their end users bring the client).
     */
    @PreAuthorize(EDITORS)
    @Transactional
    public IntegrationSettings setOAuthApp(UUID tenantId, String appKey, @Nullable String clientId,
                                           @Nullable String newClientSecret, @Nullable List<String> scopes) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        AuthMode mode = entry.definition().authMode();
        if (mode == AuthMode.OAUTH2_CLIENT_CREDENTIALS && (clientId != null || newClientSecret != null)) {
            throw new InvalidRequestException((clientId != null ? "clientId" : "clientSecret") + ": the end users of "
                    + entry.name() + " enter their own client ID and secret; only scopes are set here");
        }
        if (mode != AuthMode.OAUTH2_AUTHORIZATION_CODE && mode != AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
            throw new InvalidRequestException(entry.name() + " does not use OAuth; it has no OAuth app to set.");
        }
        var current = store.lock(tenantId, appKey);
        return update(tenantId, appKey, new IntegrationUpdate(current.map(IntegrationStore.Row::enabled).orElse(false),
                clientId, newClientSecret, scopes != null ? scopes
                        : current.map(IntegrationStore.Row::scopes).orElseGet(() -> defaultScopes(entry))));
    }

    /**
     * Forgets the tenant's OAuth app (client ID, client secret, scopes). An enabled connector that needs one must be
     * disabled first: its end users could not connect any more.
     */
    @PreAuthorize(EDITORS)
    @Transactional
    public IntegrationSettings removeOAuthApp(UUID tenantId, String appKey) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        var current = store.lock(tenantId, appKey);
        if (current.isEmpty()) {
            return IntegrationSettings.notConfigured(appKey, defaultScopes(entry));
        }
        if (current.get().enabled() && entry.definition().authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE) {
            throw new InvalidRequestException("Disable " + entry.name() + " before removing its OAuth app: its end "
                    + "users could not connect it any more.");
        }
        boolean removed = store.clearOAuthApp(tenantId, appKey, clock.instant());
        changedInThisTransaction(tenantId);
        if (removed) {
            String clientId = current.get().clientId();
            audit.record(AuditRecord.of("integration.oauth_app_removed", tenantId).target("connector", appKey)
                    .detail("clientId", clientId == null ? "" : clientId)
                    .detail("clientSecretRemoved", current.get().clientSecret() != null));
        }
        return settingsOf(store.find(tenantId, appKey).orElseThrow(), Optional.of(entry));
    }

    /**
     * For client-credentials connectors: asks the provider for a token with a client ID and secret the
     * admin types (they are not stored), proving the token URL, client authentication and scopes work. Outside any
     * transaction: no database connection waits on the provider.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public String checkClientCredentials(UUID tenantId, String appKey, String clientId, String clientSecret) {
        currentUser.requireWritableTenant(tenantId);
        CatalogEntry entry = catalog.find(tenantId, appKey).orElseThrow(() -> new NotFoundException("Connector"));
        var oauth = entry.definition().oauth();
        if (entry.definition().authMode() != AuthMode.OAUTH2_CLIENT_CREDENTIALS || oauth == null) {
            throw new InvalidRequestException(entry.name() + " does not use OAuth client credentials.");
        }
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new InvalidRequestException("Enter a client ID and secret to check with.");
        }
        String outcome;
        try {
            var tokens = clientCredentials.issue(tenantId, entry.definition(), clientId.strip(), clientSecret.strip());
            outcome = "The provider issued a token valid until " + tokens.expiresAt()
                    + (tokens.scopes().isEmpty() ? "" : " for " + String.join(" ", tokens.scopes())) + ".";
        } catch (TokenRequestException e) {
            outcome = e.getMessage();
        }
        audit.record(AuditRecord.of("integration.checked", tenantId).target("connector", appKey)
                .detail("clientId", clientId.strip()).detail("outcome", outcome));
        return outcome;
    }

    /**
     * Enabled connectors only, with the OAuth app opened: for the connect flows, never for a view. None when the
     * connector's destination is not the one the client secret was entered for: it must be entered again.
     */
    public Optional<OAuthApp> oauthApp(UUID tenantId, String appKey) {
        return store.find(tenantId, appKey)
                .filter(IntegrationStore.Row::enabled)
                .flatMap(row -> opened(tenantId, row));
    }

    /**
     * The stored OAuth app whether or not the connector is still enabled: revoking a credential after the
     * connector was switched off (offboarding) must still authenticate the client at the provider.
     */
    public Optional<OAuthApp> oauthAppForRevocation(UUID tenantId, String appKey) {
        return store.find(tenantId, appKey).flatMap(row -> opened(tenantId, row));
    }

    /**
     * The app with its secret opened for the connector's current destination, which must be the one stored beside
     * it and is also the associated data it is opened with (a rewritten column does not open it either).
     */
    private Optional<OAuthApp> opened(UUID tenantId, IntegrationStore.Row row) {
        if (row.clientId() == null || row.clientSecret() == null) {
            return Optional.empty();
        }
        var destination = catalog.find(tenantId, row.appKey()).map(e -> Destination.of(e.definition()))
                .filter(d -> d.matches(row.clientSecretDestination()));
        if (destination.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OAuthApp(row.clientId(), vault.open(binding(tenantId, row.id(),
                    destination.get().fingerprint()), row.clientSecret()), row.scopes()));
        } catch (SecretUnreadableException e) {
            return Optional.empty();
        }
    }

    /**
     * A confirmed destination change of a custom connector: the client secret was entered for the old destination
     * and must be entered again. Runs in the editor's transaction; returns whether a secret was stored.
     */
    boolean forgetClientSecret(UUID tenantId, String appKey) {
        boolean cleared = store.clearClientSecret(tenantId, appKey, clock.instant());
        if (cleared) {
            changedInThisTransaction(tenantId);
        }
        return cleared;
    }

    /**
     * A deleted custom connector: its integration (enabled, OAuth app, connector settings) goes with it, so a
     * connector created later under the same key starts disabled and unconfigured. In the caller's transaction.
     */
    boolean forget(UUID tenantId, String appKey) {
        boolean deleted = store.delete(tenantId, appKey);
        if (deleted) {
            changedInThisTransaction(tenantId);
        }
        return deleted;
    }

    /** Whether the tenant holds a client secret for this connector that a destination change would strand. */
    boolean holdsClientSecret(UUID tenantId, String appKey) {
        return store.find(tenantId, appKey).map(r -> r.clientSecret() != null).orElse(false);
    }

    public boolean enabled(UUID tenantId, String appKey) {
        if (changedTenants().contains(tenantId)) {
            return store.enabledAppKeys(tenantId).contains(appKey);
        }
        return enabledByTenant.get(tenantId, store::enabledAppKeys).contains(appKey);
    }

    /**
     * Remembers for the rest of the transaction that it changed the tenant's integrations, and drops the tenant's
     * cached enabled connectors once it commits or rolls back. (A reader that loaded the old rows before the commit
     * and is still storing them holds the entry's lock, so the drop waits for it and removes what it stored.)
     */
    @SuppressWarnings("unchecked")
    private void changedInThisTransaction(UUID tenantId) {
        Set<UUID> changed = (Set<UUID>) TransactionSynchronizationManager.getResource(changedInTransaction);
        if (changed == null) {
            Set<UUID> tenants = new HashSet<>();
            TransactionSynchronizationManager.bindResource(changedInTransaction, tenants);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(changedInTransaction);
                    enabledByTenant.invalidateAll(tenants);
                }
            });
            changed = tenants;
        }
        changed.add(tenantId);
        enabledByTenant.invalidate(tenantId);
    }

    @SuppressWarnings("unchecked")
    private Set<UUID> changedTenants() {
        Object changed = TransactionSynchronizationManager.getResource(changedInTransaction);
        return changed == null ? Set.of() : (Set<UUID>) changed;
    }

    static List<String> defaultScopes(CatalogEntry entry) {
        return entry.definition().oauth() == null ? List.of() : entry.definition().oauth().scopes();
    }

    /** A secret stored for another destination than the connector's current one counts as none: enter it again. */
    private static IntegrationSettings settingsOf(IntegrationStore.Row row, Optional<CatalogEntry> entry) {
        boolean usable = row.clientSecret() != null
                && entry.map(e -> Destination.of(e.definition()).matches(row.clientSecretDestination())).orElse(false);
        return new IntegrationSettings(row.appKey(), row.enabled(), row.clientId(), usable, row.scopes(),
                row.updatedAt());
    }

    static SecretBinding binding(UUID tenantId, UUID integrationId, @Nullable String destination) {
        return new SecretBinding("integration.client_secret", tenantId, integrationId.toString(), destination);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
