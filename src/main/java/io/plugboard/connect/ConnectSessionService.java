package io.plugboard.connect;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.Inputs;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.CurrentUser;
import io.plugboard.tenant.AllowedOrigins;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens, refreshes, reports and cancels connect sessions for tenant backends and admins. The token is
 * 256 random bits, returned once, stored as a SHA-256, valid {@value #MINUTES} minutes.
 */
@Service
@Transactional(readOnly = true)
public class ConnectSessionService {

    static final int MINUTES = 30;
    static final Duration LIFETIME = Duration.ofMinutes(MINUTES);

    private final ConnectSessionStore store;
    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final CredentialService credentials;
    private final AllowedOrigins origins;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final ConnectMetrics metrics;
    private final String publicUrl;

    ConnectSessionService(ConnectSessionStore store, TenantConnectors connectors, IntegrationService integrations,
                          CredentialService credentials, AllowedOrigins origins, AuditLog audit,
                          CurrentUser currentUser, Clock clock, @Value("${plugboard.public-url}") String publicUrl,
                          ConnectMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.connectors = connectors;
        this.integrations = integrations;
        this.credentials = credentials;
        this.origins = origins;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional
    public CreatedConnectSession create(UUID tenantId, NewConnectSession request) {
        currentUser.requireWritableTenant(tenantId);
        if (request.endUser() == null || request.endUser().id() == null || request.endUser().id().isBlank()) {
            throw new InvalidRequestException("endUser.id: is required");
        }
        String endUserId = request.endUser().id().strip();
        if (endUserId.length() > 200) {
            throw new InvalidRequestException("endUser.id: must be at most 200 characters");
        }
        Inputs.notReservedEndUserId("endUser.id", endUserId);
        String onlyEndUser = currentUser.apiClient().map(ApiPrincipal::endUserId).orElse(null);
        if (onlyEndUser != null && !onlyEndUser.equals(endUserId)) {
            throw new InvalidRequestException("endUser.id: this token may only open sessions for " + onlyEndUser);
        }
        List<String> allowed = allowedConnectors(tenantId, request.allowedConnectors());
        String reconnect = reconnectTarget(tenantId, request.reconnectCredentialId(), endUserId);
        if (reconnect != null) {
            allowed = List.of(credentials.get(tenantId, reconnect).appKey());
        }
        var prefill = prefill(tenantId, request.prefill());
        var metadata = metadata(tenantId, request.metadata());
        String redirectUrl = redirect(tenantId, request.redirectUrl());

        Instant now = clock.instant();
        String token = Tokens.random256();
        var session = new ConnectSession(Tokens.sessionId(), tenantId, endUserId, blank(request.endUser().email()),
                blank(request.endUser().displayName()), allowed, prefill, metadata, redirectUrl, reconnect,
                now.plus(LIFETIME), ConnectSession.Status.PENDING, List.of(), now, null, request.locale());
        store.insert(session, Tokens.sha256(token), actor());
        audit.record(AuditRecord.of("connect_session.created", tenantId).target("connect_session", session.id())
                .detail("endUser", endUserId).detail("allowedConnectors", allowed == null ? "all" : String.join(" ", allowed))
                .detail("reconnect", reconnect == null ? "" : reconnect)
                .detail("locale", request.locale() == null ? "" : request.locale()));
        metrics.started();
        return new CreatedConnectSession(session.id(), token, connectUrl(token), session.expiresAt());
    }

    /** A new token and link for the same session, valid another 30 minutes; the old token stops working. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional
    public CreatedConnectSession refresh(UUID tenantId, String sessionId) {
        currentUser.requireWritableTenant(tenantId);
        ConnectSession session = visible(tenantId, sessionId);
        if (session.status() == ConnectSession.Status.CANCELLED) {
            throw new InvalidRequestException("The session was cancelled; open a new one.");
        }
        if (session.status() == ConnectSession.Status.COMPLETED) {
            // A completed session has connected its account; a new link for it would only say "already used".
            throw new InvalidRequestException("The session was completed; open a new one.");
        }
        String token = Tokens.random256();
        Instant expiresAt = clock.instant().plus(LIFETIME);
        store.replaceToken(tenantId, sessionId, Tokens.sha256(token), expiresAt);
        audit.record(AuditRecord.of("connect_session.refreshed", tenantId).target("connect_session", sessionId));
        return new CreatedConnectSession(sessionId, token, connectUrl(token), expiresAt);
    }

    @PreAuthorize("isAuthenticated()")
    public ConnectSessionStatus status(UUID tenantId, String sessionId) {
        currentUser.requireTenant(tenantId);
        ConnectSession s = visible(tenantId, sessionId);
        return new ConnectSessionStatus(s.id(), s.publicStatus(clock.instant()), s.endUserId(), s.expiresAt(),
                s.credentialIds(), s.locale());
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT', 'API_CLIENT')")
    @Transactional
    public void cancel(UUID tenantId, String sessionId) {
        currentUser.requireWritableTenant(tenantId);
        visible(tenantId, sessionId);
        if (store.cancel(tenantId, sessionId) > 0) {
            audit.record(AuditRecord.of("connect_session.cancelled", tenantId).target("connect_session", sessionId));
        }
    }

    String connectUrl(String token) {
        return publicUrl + "/connect/" + token;
    }

    private ConnectSession visible(UUID tenantId, String sessionId) {
        ConnectSession session = store.find(tenantId, sessionId).orElseThrow(() -> new NotFoundException("Connect session"));
        String onlyEndUser = currentUser.apiClient().map(ApiPrincipal::endUserId).orElse(null);
        if (onlyEndUser != null && !onlyEndUser.equals(session.endUserId())) {
            throw new NotFoundException("Connect session");
        }
        return session;
    }

    private @Nullable List<String> allowedConnectors(UUID tenantId, @Nullable List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return null;
        }
        for (String appKey : requested) {
            CatalogEntry entry = connectors.find(tenantId, appKey).orElseThrow(() ->
                    new InvalidRequestException("allowedConnectors: unknown connector '" + appKey + "'"));
            if (!integrations.enabled(tenantId, entry.appKey())) {
                throw new InvalidRequestException("allowedConnectors: " + entry.name() + " is not enabled for this tenant");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(requested));
    }

    private @Nullable String reconnectTarget(UUID tenantId, @Nullable String credentialId, String endUserId) {
        if (credentialId == null || credentialId.isBlank()) {
            return null;
        }
        CredentialView credential;
        try {
            credential = credentials.get(tenantId, credentialId.strip());
        } catch (NotFoundException e) {
            throw new InvalidRequestException("reconnectCredentialId: no such credential");
        }
        if (credential.status() == CredentialStatus.REVOKED) {
            throw new InvalidRequestException("reconnectCredentialId: the credential is revoked; connect a new one");
        }
        if (!credential.endUserId().equals(endUserId)) {
            throw new InvalidRequestException("reconnectCredentialId: the credential belongs to another end user");
        }
        return credential.id();
    }

    private Map<String, Map<String, String>> prefill(UUID tenantId, @Nullable Map<String, Map<String, String>> prefill) {
        var result = new LinkedHashMap<String, Map<String, String>>();
        if (prefill == null) {
            return result;
        }
        prefill.forEach((appKey, fields) -> {
            CatalogEntry entry = connectors.find(tenantId, appKey).orElseThrow(() ->
                    new InvalidRequestException("prefill." + appKey + ": unknown connector"));
            var values = new LinkedHashMap<String, String>();
            (fields == null ? Map.<String, String>of() : fields).forEach((key, value) -> {
                var field = entry.definition().formFields().stream().filter(f -> f.key().equals(key)).findFirst()
                        .orElseThrow(() -> new InvalidRequestException("prefill." + appKey + "." + key + ": no such field"));
                if (!field.isPrefillable()) {
                    throw new InvalidRequestException("prefill." + appKey + "." + key + ": cannot be prefilled");
                }
                if (value != null && value.length() > 2000) {
                    throw new InvalidRequestException("prefill." + appKey + "." + key + ": is too long");
                }
                values.put(key, value);
            });
            result.put(appKey, values);
        });
        return result;
    }

    private Map<String, Map<String, Object>> metadata(UUID tenantId, @Nullable Map<String, Map<String, Object>> metadata) {
        var result = new LinkedHashMap<String, Map<String, Object>>();
        if (metadata == null) {
            return result;
        }
        metadata.forEach((appKey, values) -> {
            CatalogEntry entry = connectors.find(tenantId, appKey).orElseThrow(() ->
                    new InvalidRequestException("metadata." + appKey + ": unknown connector"));
            var known = entry.definition().metadataFields().stream().map(f -> f.key()).toList();
            (values == null ? Map.<String, Object>of() : values).keySet().forEach(key -> {
                if (!known.contains(key)) {
                    throw new InvalidRequestException("metadata." + appKey + "." + key + ": " + entry.name()
                            + " has no such metadata field");
                }
            });
            result.put(appKey, values == null ? Map.of() : values);
        });
        return result;
    }

    private @Nullable String redirect(UUID tenantId, @Nullable String redirectUrl) {
        if (redirectUrl == null || redirectUrl.isBlank()) {
            return null;
        }
        if (redirectUrl.length() > 2000 || !origins.allows(tenantId, redirectUrl)) {
            throw new InvalidRequestException("redirectUrl: its origin is not one of the tenant's allowed origins "
                    + "(Settings → Allowed origins)");
        }
        return redirectUrl.strip();
    }

    private String actor() {
        return currentUser.principal().map(p -> p.email())
                .or(() -> currentUser.apiClient().map(c -> "api:" + c.subject())).orElse("system");
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
