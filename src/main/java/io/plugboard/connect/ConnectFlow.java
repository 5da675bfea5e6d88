package io.plugboard.connect;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ClientCredentialsTokens;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.ConnectorValidator;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.TokenEndpoint;
import io.plugboard.connector.TokenOrigin;
import io.plugboard.connector.TokenRequestException;
import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.MetadataRules;
import io.plugboard.credential.NewCredential;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.AllowedOrigins;
import io.plugboard.tenant.TenantDirectory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The end user's side of a connect session: which connectors they may use, the OAuth redirect and
 * callback, and the client-credentials / API-key / basic forms. Everything the end user does runs as the
 * session (its tenant, its end user only), never with more rights.
 */
@Service
public class ConnectFlow {

    static final Duration STATE_LIFETIME = Duration.ofMinutes(10);

    static final String USED = ConnectMessage.of("failure.used").english();

    private final ConnectSessionStore store;
    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final CredentialService credentials;
    private final TokenEndpoint tokenEndpoint;
    private final ClientCredentialsTokens clientCredentials;
    private final ConnectionCheck check;
    private final ConnectorSettingsService connectorSettings;
    private final TenantDirectory tenants;
    private final AllowedOrigins origins;
    private final SecretVault vault;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ConnectFlow(ConnectSessionStore store, TenantConnectors connectors, IntegrationService integrations,
                CredentialService credentials, TokenEndpoint tokenEndpoint, ClientCredentialsTokens clientCredentials,
                ConnectionCheck check, ConnectorSettingsService connectorSettings,
                TenantDirectory tenants, AllowedOrigins origins, SecretVault vault, AuditLog audit,
                ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.connectors = connectors;
        this.integrations = integrations;
        this.credentials = credentials;
        this.tokenEndpoint = tokenEndpoint;
        this.clientCredentials = clientCredentials;
        this.check = check;
        this.connectorSettings = connectorSettings;
        this.tenants = tenants;
        this.origins = origins;
        this.vault = vault;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Where a connect link leads: a session the end user may use now, or why not. */
    public sealed interface Link permits Active, Closed {
    }

    /** A session the end user may use right now, with its tenant's name. */
    public record Active(ConnectSession session, String tenantName) implements Link {
    }

    /** USED: the session completed, its account is connected. EXPIRED: unknown, expired, cancelled or suspended. */
    public enum Closed implements Link { USED, EXPIRED }

    /** Resolves a connect link's token; an unknown, expired or cancelled one is EXPIRED, a completed one USED. */
    public Link link(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            return Closed.EXPIRED;
        }
        Optional<ConnectSession> found = TenantScope.platform(
                "a connect link is looked up by its token before its tenant is known",
                () -> store.findByTokenHash(Tokens.sha256(token)));
        if (found.isEmpty()) {
            return Closed.EXPIRED;
        }
        ConnectSession s = found.get();
        Link link = TenantScope.tenant(s.tenantId(), () -> linkOf(s));
        if (link instanceof Closed closed) {
            audit.record(AuditActor.anonymous("end user " + s.endUserId()), AuditRecord.of(closed == Closed.USED
                    ? "connect_session.used_link" : "connect_session.expired_use", s.tenantId()).target("connect_session", s.id()));
        }
        return link;
    }

    /** The page's follow-up steps: the session id it remembered after the token was checked. */
    public Link resumeLink(String sessionId) {
        return TenantScope.platform("a connect page's session is looked up by its id before its tenant is known",
                () -> store.findById(sessionId)).map(s -> TenantScope.tenant(s.tenantId(), () -> linkOf(s)))
                .orElse(Closed.EXPIRED);
    }

    /** The session a link's token names, whatever its state: a used or expired link still speaks its language. */
    public Optional<String> sessionOf(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            return Optional.empty();
        }
        return TenantScope.platform("a connect link's session is looked up by its token before its tenant is known",
                () -> store.findByTokenHash(Tokens.sha256(token))).map(ConnectSession::id);
    }

    /**
     * The locale a page of this session speaks ({@code sessionId} null: no session known) for a browser that sends
     * this {@code Accept-Language}.
     */
    public Locale language(@Nullable String sessionId, @Nullable String acceptLanguage) {
        String asked = sessionId == null ? null : TenantScope.platform(
                "a connect page's language is read from its session before its tenant is known",
                () -> store.findById(sessionId)).map(ConnectSession::locale).orElse(null);
        return ConnectLanguage.forPage(asked, acceptLanguage);
    }

    /** The tenant a session belongs to, whatever its state, so that even its expired and used pages wear its brand. */
    public Optional<TenantDirectory.PublicTenant> owner(@Nullable String sessionId) {
        return sessionId == null ? Optional.empty() : TenantScope.platform(
                "a connect page's brand is read from its session's tenant before that tenant is known",
                () -> store.findById(sessionId).flatMap(s -> tenants.find(s.tenantId())));
    }

    public Optional<Active> open(String token) {
        return link(token) instanceof Active a ? Optional.of(a) : Optional.empty();
    }

    public Optional<Active> resume(String sessionId) {
        return resumeLink(sessionId) instanceof Active a ? Optional.of(a) : Optional.empty();
    }

    /**
     * A page keeps the {@link Active} it was opened with; by the time the end user submits, the session may
     * have expired or been cancelled (or refreshed). Every step re-reads it.
     */
    private Active stillActive(Active opened) {
        String id = opened.session().id();
        Link now = resumeLink(id);
        if (now instanceof Active active) {
            return active;
        }
        ConnectSession s = opened.session();
        audit.record(AuditActor.anonymous("end user " + s.endUserId()), AuditRecord.of(now == Closed.USED
                ? "connect_session.used_link" : "connect_session.expired_use", s.tenantId()).target("connect_session", id));
        throw closedFailure((Closed) now);
    }

    private Link linkOf(ConnectSession session) {
        if (session.status() == ConnectSession.Status.COMPLETED) {
            return Closed.USED;
        }
        if (!session.usable(clock.instant())) {
            return Closed.EXPIRED;
        }
        return tenants.find(session.tenantId()).filter(TenantDirectory.PublicTenant::active)
                .<Link>map(t -> new Active(session, t.name())).orElse(Closed.EXPIRED);
    }

    /** No "try again" on either: the session cannot connect anything any more. */
    private static ConnectFailure closedFailure(Closed closed) {
        return new ConnectFailure(ConnectMessage.of(closed == Closed.USED ? "failure.used" : "failure.expired"), null);
    }

    public List<CatalogEntry> connectors(Active active) {
        return TenantScope.tenant(active.session().tenantId(), () -> connectorsInTenant(active));
    }

    private List<CatalogEntry> connectorsInTenant(Active active) {
        ConnectSession s = active.session();
        return connectors.all(s.tenantId()).stream()
                .filter(e -> s.allowedConnectors() == null || s.allowedConnectors().contains(e.appKey()))
                .filter(e -> integrations.enabled(s.tenantId(), e.appKey()))
                .toList();
    }

    public Map<String, String> prefill(Active active, String appKey) {
        return active.session().prefill().getOrDefault(appKey, Map.of());
    }

    public Map<String, Object> presetMetadata(Active active, String appKey) {
        return active.session().metadata().getOrDefault(appKey, Map.of());
    }

    /**
     * Starts an authorization-code flow: a single-use state and PKCE verifier, then the provider's URL. The
     * caller hands the returned browser key to the browser ({@link OAuthBindingCookie}); only its hash is kept.
     */
    public OAuthStart beginOAuth(Active opened, String appKey, Map<String, Object> metadata, Map<String, String> fields) {
        return TenantScope.tenant(opened.session().tenantId(),
                () -> beginOAuthInTenant(opened, appKey, metadata, fields));
    }

    private OAuthStart beginOAuthInTenant(Active opened, String appKey, Map<String, Object> metadata,
                                          Map<String, String> fields) {
        Active active = stillActive(opened);
        ConnectSession s = active.session();
        ConnectorDefinition connector = allowed(active, appKey);
        if (connector.authMode() != AuthMode.OAUTH2_AUTHORIZATION_CODE) {
            throw new ConnectFailure(ConnectMessage.of("failure.notOAuth", connector.name()), s.id());
        }
        OAuthApp app = integrations.oauthApp(s.tenantId(), appKey).orElseThrow(() -> new ConnectFailure(
                ConnectMessage.of("failure.notSetUp", connector.name()), s.id()));
        Map<String, Object> meta = checkedMetadata(active, connector, metadata);
        var split = validFields(connector, withPrefill(active, appKey, fields), s.id());
        String state = Tokens.random256();
        String stateHash = Tokens.sha256(state);
        String browserKey = Tokens.random256();
        CodeVerifier verifier = connector.oauth().usesPkce() ? new CodeVerifier() : null;
        byte[] sealedVerifier = verifier == null ? null
                : vault.seal(new SecretBinding("oauth_state.verifier", s.tenantId(), stateHash), verifier.getValue());
        var scopes = app.scopes().isEmpty() ? connector.oauth().scopes() : app.scopes();
        var url = UriComponentsBuilder.fromUriString(connector.oauth().authorizationUrl())
                .queryParam("response_type", "code")
                .queryParam("client_id", app.clientId())
                .queryParam("redirect_uri", integrations.redirectUri())
                .queryParam("state", state);
        if (!scopes.isEmpty()) {
            url.queryParam("scope", String.join(connector.oauth().separator(), scopes));
        }
        if (verifier != null) {
            url.queryParam("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue())
                    .queryParam("code_challenge_method", "S256");
        }
        if (connector.oauth().authorizeParams() != null) {
            connector.oauth().authorizeParams().forEach(url::queryParam);
        }
        transactions.executeWithoutResult(status -> {
            store.insertState(stateHash, new ConnectSessionStore.OAuthState(s.id(), s.tenantId(), appKey, sealedVerifier,
                    meta, split.config(), clock.instant().plus(STATE_LIFETIME), Tokens.sha256(browserKey)), clock.instant());
            audit.record(endUser(s), AuditRecord.of("connect.flow.started", s.tenantId())
                    .target("connect_session", s.id()).detail("connector", appKey).detail("mode", "oauth2_authorization_code"));
        });
        return new OAuthStart(url.encode().build().toUri(), state, browserKey);
    }

    /**
     * The provider sent the browser back: check the state and that this is the browser that started it
     * ({@code browserKey}, from its cookie), exchange the code, store the credential.
     */
    public Connected finishOAuth(@Nullable String state, @Nullable String browserKey, @Nullable String code,
                                 @Nullable String error, @Nullable String errorDescription) {
        return finishOAuth(state, browserKey, code, error, errorDescription, Map.of());
    }

    /**
     * The callback with the other parameters of the authorization redirect, of which a connector may name one
     * as the origin of its token URL ({@code oauth.tokenUrlFromCallback}, Zoho's {@code accounts-server}).
     */
    public Connected finishOAuth(@Nullable String state, @Nullable String browserKey, @Nullable String code,
                                 @Nullable String error, @Nullable String errorDescription,
                                 Map<String, String> redirectParams) {
        if (state == null || state.isBlank()) {
            audit.recordRepeated("connect.oauth.callback.failed:missing_state", null, AuditActor.anonymous("browser"),
                    AuditRecord.of("connect.oauth.callback.failed", null).detail("reason", "missing_state"));
            throw new ConnectFailure(ConnectMessage.of("failure.noState"), null);
        }
        Instant now = clock.instant();
        var consumed = TenantScope.platform("an OAuth callback is matched by its state before its tenant is known",
                () -> transactions.execute(status -> store.consumeState(Tokens.sha256(state), now)));
        if (consumed == null || consumed.isEmpty()) {
            audit.recordRepeated("connect.oauth.callback.failed:unknown_state", null, AuditActor.anonymous("browser"),
                    AuditRecord.of("connect.oauth.callback.failed", null).detail("reason", "unknown_or_reused_state"));
            throw new ConnectFailure(ConnectMessage.of("failure.unknownState"), null);
        }
        var oauthState = consumed.get();
        return TenantScope.tenant(oauthState.tenantId(), () -> finishOAuthInTenant(state, browserKey, code, error,
                errorDescription, redirectParams, oauthState, now));
    }

    private Connected finishOAuthInTenant(String state, @Nullable String browserKey, @Nullable String code,
                                          @Nullable String error, @Nullable String errorDescription,
                                          Map<String, String> redirectParams,
                                          ConnectSessionStore.OAuthState oauthState, Instant now) {
        String otherBrowser = browserMismatch(oauthState, browserKey);
        if (otherBrowser != null) {
            // The state is consumed already: the browser that holds the right cookie cannot use it afterwards.
            audit.record(AuditActor.anonymous("browser"), AuditRecord.of("connect.oauth.callback.refused",
                    oauthState.tenantId()).target("connect_session", oauthState.sessionId())
                    .detail("reason", otherBrowser).detail("connector", oauthState.appKey()));
            throw new ConnectFailure(ConnectMessage.of("failure.otherBrowser"), null);
        }
        ConnectSession s = store.findById(oauthState.sessionId()).orElseThrow();
        Link link = linkOf(s);
        if (!(link instanceof Active current)) {
            callbackFailed(s, oauthState.appKey(), link == Closed.USED ? "session_completed" : "session_expired");
            throw closedFailure((Closed) link);
        }
        if (now.isAfter(oauthState.expiresAt())) {
            callbackFailed(s, oauthState.appKey(), "state_expired");
            throw new ConnectFailure(ConnectMessage.of("failure.stateExpired"), s.id());
        }
        ConnectorDefinition connector = allowed(current, oauthState.appKey());
        if (error != null) {
            callbackFailed(s, connector.appKey(), error);
            throw new ConnectFailure("access_denied".equals(error) ? ConnectMessage.of("failure.declined", connector.name())
                    : ConnectMessage.of("failure.providerError", connector.name(),
                    error + (errorDescription == null ? "" : ": " + errorDescription)), s.id());
        }
        if (code == null || code.isBlank()) {
            callbackFailed(s, connector.appKey(), "missing_code");
            throw new ConnectFailure(ConnectMessage.of("failure.noCode", connector.name()), s.id());
        }
        OAuthApp app = integrations.oauthApp(s.tenantId(), connector.appKey()).orElseThrow(() -> new ConnectFailure(
                ConnectMessage.of("failure.noLongerSetUp", connector.name()), s.id()));
        String verifier = oauthState.codeVerifier() == null ? null : vault.open(
                new SecretBinding("oauth_state.verifier", s.tenantId(), Tokens.sha256(state)), oauthState.codeVerifier());
        ConnectorDefinition.OAuth oauth = connector.oauth();
        String tokenServerParam = oauth.tokenUrlFromCallback();
        String tokenServer = tokenServerParam == null ? null : redirectParams.get(tokenServerParam);
        if (tokenServer != null) {
            try {
                // Checked before any token request: a forged redirect must not get the code or the client secret.
                URI origin = TokenOrigin.allowed(connector, tokenServer);
                oauth = oauth.atTokenOrigin(origin);
                tokenServer = origin.toString();
            } catch (InvalidRequestException e) {
                callbackFailed(s, connector.appKey(), "token_server_not_allowed");
                throw new ConnectFailure(ConnectMessage.of("failure.incomplete", connector.name(), e.getMessage()), s.id());
            }
        }
        TokenEndpoint.Tokens tokens;
        try {
            tokens = tokenEndpoint.authorizationCode(oauth, app.clientId(), app.clientSecret(), code,
                    URI.create(integrations.redirectUri()), verifier);
        } catch (TokenRequestException e) {
            callbackFailed(s, connector.appKey(), e.errorCode() == null ? e.kind().name().toLowerCase() : e.errorCode());
            throw new ConnectFailure(ConnectMessage.of("failure.incomplete", connector.name(), e.getMessage()), s.id());
        }
        if (tokens.scopes().isEmpty()) {
            // RFC 6749 §5.1: a token response without "scope" grants the scope that was requested.
            var requested = app.scopes().isEmpty() ? connector.oauth().scopes() : app.scopes();
            tokens = new TokenEndpoint.Tokens(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(),
                    tokens.expiresAt(), requested, tokens.extra());
        }
        if (tokenServer != null) {
            // Kept with the credential so its refreshes go to the same accounts server.
            var extra = new LinkedHashMap<>(tokens.extra());
            extra.put(tokenServerParam, tokenServer);
            tokens = new TokenEndpoint.Tokens(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(),
                    tokens.expiresAt(), tokens.scopes(), extra);
        }
        var request = new NewCredential(connector.appKey(), s.endUserId(), s.endUserEmail(), s.endUserName(), null,
                oauthState.config(), oauthState.metadata(), NewCredential.Tokens.issued(tokens));
        Connected connected = store(current, connector, request);
        audit.record(endUser(s), AuditRecord.of("connect.oauth.callback.succeeded", s.tenantId())
                .target("connect_session", s.id()).detail("connector", connector.appKey())
                .detail("credential", connected.credentialId()));
        return connected;
    }

    /**
     * The account this page's session connected, once it has; empty while it is pending. A framed page whose
     * sign-in ran in a popup learns the outcome here, from the server: the popup's message only says when to ask.
     */
    public Optional<Connected> connection(Active opened) {
        return TenantScope.tenant(opened.session().tenantId(), () -> connectionInTenant(opened));
    }

    private Optional<Connected> connectionInTenant(Active opened) {
        ConnectSession s = store.findById(opened.session().id()).orElse(null);
        if (s == null || s.status() != ConnectSession.Status.COMPLETED || s.credentialIds().isEmpty()) {
            Link now = s == null ? Closed.EXPIRED : linkOf(s);
            if (now instanceof Closed closed) {
                throw closedFailure(closed);
            }
            return Optional.empty();
        }
        String credentialId = s.credentialIds().getLast();
        CredentialView credential = asSession(s, opened.tenantName(), () -> credentials.get(s.tenantId(), credentialId));
        String connectorName = connectors.all(s.tenantId()).stream().filter(e -> e.appKey().equals(credential.appKey()))
                .findFirst().map(CatalogEntry::name).orElse(credential.appKey());
        String account = s.endUserName() != null ? s.endUserName() : s.endUserId();
        return Optional.of(new Connected(s.id(), credentialId, credential.appKey(), connectorName, account,
                s.redirectUrl(), origins.of(s.tenantId())));
    }

    /** Plugboard's own origin, the only one its pages address messages to each other with. */
    public String publicOrigin() {
        return originOf(URI.create(integrations.redirectUri()));
    }

    /** As a browser serializes it (event.origin): lower case, no default port, no path. */
    static String originOf(URI url) {
        boolean defaultPort = url.getPort() == -1
                || url.getPort() == ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT)
                + (defaultPort ? "" : ":" + url.getPort());
    }

    /** The first URL of a framed page's sign-in popup: next to the callback, under Plugboard's public URL. */
    public String signInWindowUrl(String nonce) {
        return URI.create(integrations.redirectUri()).resolve("window/" + nonce).toString();
    }

    /** Client credentials, API key or basic auth: check the details with the provider, then store them. */
    public Connected submit(Active opened, String appKey, Map<String, String> fields, Map<String, Object> metadata) {
        return TenantScope.tenant(opened.session().tenantId(), () -> submitInTenant(opened, appKey, fields, metadata));
    }

    private Connected submitInTenant(Active opened, String appKey, Map<String, String> fields,
                                     Map<String, Object> metadata) {
        Active active = stillActive(opened);
        ConnectSession s = active.session();
        ConnectorDefinition connector = allowed(active, appKey);
        Map<String, Object> meta = checkedMetadata(active, connector, metadata);
        Map<String, String> all = withPrefill(active, appKey, fields);
        var split = validFields(connector, all, s.id());
        audit.record(endUser(s), AuditRecord.of("connect.flow.started", s.tenantId()).target("connect_session", s.id())
                .detail("connector", appKey).detail("mode", connector.authMode().name().toLowerCase()));
        NewCredential.Tokens tokens = null;
        switch (connector.authMode()) {
            case OAUTH2_CLIENT_CREDENTIALS -> {
                try {
                    tokens = NewCredential.Tokens.issued(clientCredentials.issue(s.tenantId(), connector,
                            all.get("clientId"), all.get("clientSecret")));
                } catch (TokenRequestException e) {
                    throw new ConnectFailure(ConnectMessage.of("failure.clientRejected", connector.name(), e.getMessage()),
                            s.id());
                }
            }
            case API_KEY, BASIC -> {
                ConnectMessage problem;
                try {
                    problem = check.check(connector, all, split.config(), connectorSettings.headers(s.tenantId(),
                            connector, all, ConnectionFields.baseUrl(connector, split.config())));
                } catch (InvalidRequestException e) {
                    throw new ConnectFailure(ConnectMessage.of("failure.detail", e.getMessage()), s.id());
                }
                if (problem != null) {
                    throw new ConnectFailure(problem, s.id());
                }
            }
            case OAUTH2_AUTHORIZATION_CODE -> throw new ConnectFailure(ConnectMessage.of("failure.useSignIn", connector.name()),
                    s.id());
        }
        return store(active, connector, new NewCredential(appKey, s.endUserId(), s.endUserEmail(), s.endUserName(),
                null, all, meta, tokens));
    }

    /** Null when the callback comes from the browser that started the request, else why not (for the audit). */
    private static @Nullable String browserMismatch(ConnectSessionStore.OAuthState state, @Nullable String browserKey) {
        if (state.browserBinding() == null) {
            return "state_without_binding";
        }
        if (browserKey == null || browserKey.isEmpty()) {
            return "no_binding_cookie";
        }
        // Constant time: how much of the hash matched says nothing.
        return MessageDigest.isEqual(Tokens.sha256(browserKey).getBytes(StandardCharsets.US_ASCII),
                state.browserBinding().getBytes(StandardCharsets.US_ASCII)) ? null : "binding_cookie_mismatch";
    }

    private Connected store(Active active, ConnectorDefinition connector, NewCredential request) {
        ConnectSession s = active.session();
        CredentialView credential = asSession(s, active.tenantName(), () -> transactions.execute(status -> {
            // Two tabs (or two callbacks) finishing at once queue on the session's row; only a pending session
            // connects, so the second one stores nothing.
            var current = store.lockStatus(s.id()).orElse(ConnectSession.Status.CANCELLED);
            if (current != ConnectSession.Status.PENDING) {
                throw closedFailure(current == ConnectSession.Status.COMPLETED ? Closed.USED : Closed.EXPIRED);
            }
            CredentialView saved = s.reconnectCredentialId() != null
                    ? credentials.reconnect(s.tenantId(), s.reconnectCredentialId(), request)
                    : credentials.create(s.tenantId(), request);
            store.completed(s.id(), saved.id(), clock.instant());
            audit.record(AuditRecord.of("connect_session.completed", s.tenantId()).target("connect_session", s.id())
                    .detail("credential", saved.id()).detail("connector", connector.appKey()));
            events.publishEvent(new ConnectSessionCompleted(s.tenantId(), s.id(), saved.id(), connector.appKey(),
                    s.endUserId(), s.reconnectCredentialId() != null, saved.status(), saved.metadata()));
            return saved;
        }));
        String account = s.endUserName() != null ? s.endUserName() : s.endUserId();
        return new Connected(s.id(), credential.id(), connector.appKey(), connector.name(), account, s.redirectUrl(),
                origins.of(s.tenantId()));
    }

    /** Runs as the session: its tenant and its end user only, as an API client would. */
    private <T> T asSession(ConnectSession s, String tenantName, Supplier<T> work) {
        var previous = SecurityContextHolder.getContext();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                new ApiPrincipal(s.tenantId(), tenantName, "connect-session", "connect:" + s.id(), s.endUserId()),
                null, List.of(new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT))));
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        } catch (InvalidRequestException | NotFoundException e) {
            throw new ConnectFailure(ConnectMessage.of("failure.detail", e.getMessage()), s.id());
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private ConnectorDefinition allowed(Active active, String appKey) {
        return connectors(active).stream().filter(e -> e.appKey().equals(appKey)).findFirst()
                .map(CatalogEntry::definition)
                .orElseThrow(() -> new ConnectFailure(ConnectMessage.of("failure.notAllowed"),
                        active.session().id()));
    }

    private Map<String, Object> checkedMetadata(Active active, ConnectorDefinition connector, Map<String, Object> given) {
        var merged = new LinkedHashMap<String, Object>(given == null ? Map.of() : given);
        merged.putAll(presetMetadata(active, connector.appKey()));
        try {
            return MetadataRules.validate(connector, merged);
        } catch (InvalidRequestException e) {
            throw new ConnectFailure(ConnectMessage.of("failure.detail", e.getMessage().replaceFirst("^metadata\\.[^:]+: ", "")),
                    active.session().id());
        }
    }

    private Map<String, String> withPrefill(Active active, String appKey, Map<String, String> fields) {
        var all = new HashMap<String, String>(fields == null ? Map.of() : fields);
        prefill(active, appKey).forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                all.put(k, v);
            }
        });
        return all;
    }

    private static ConnectionFields.Split validFields(ConnectorDefinition connector, Map<String, String> fields,
                                                      String sessionId) {
        try {
            var split = ConnectionFields.validate(connector, fields);
            // An origin named by the token response is checked once there is one, when the credential is stored.
            boolean originFromToken = ConnectorValidator.originPlaceholder(connector.api().baseUrl()) != null;
            if ((!connector.authMode().oauth() || connector.authMode() == AuthMode.OAUTH2_CLIENT_CREDENTIALS)
                    && !originFromToken) {
                ConnectionFields.baseUrl(connector, split.config());
            }
            return split;
        } catch (InvalidRequestException e) {
            throw new ConnectFailure(ConnectMessage.of("failure.detail", e.getMessage().replaceFirst("^fields\\.[^:]+: ", "")),
                    sessionId);
        }
    }

    private void callbackFailed(ConnectSession s, String appKey, String reason) {
        audit.record(endUser(s), AuditRecord.of("connect.oauth.callback.failed", s.tenantId())
                .target("connect_session", s.id()).detail("connector", appKey).detail("error", reason));
    }

    private static AuditActor endUser(ConnectSession s) {
        return new AuditActor(AuditActor.Type.ANONYMOUS, s.endUserId(), "end user " + s.endUserId() + " (" + s.id() + ")");
    }
}
