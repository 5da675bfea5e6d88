package io.plugboard.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Plugboard's tenant API for a backend. Thread-safe; build one per tenant and share it.
 *
 * <pre>{@code
 * PlugboardClient plugboard = PlugboardClient.builder()
 *         .baseUrl("https://plugboard.example.com")
 *         .clientId(System.getenv("PLUGBOARD_CLIENT_ID"))
 *         .clientSecret(System.getenv("PLUGBOARD_CLIENT_SECRET"))
 *         .build();
 * }</pre>
 *
 * Its calls see the whole tenant (token subject {@code tenant}); {@link #forEndUser} gives a client whose token
 * sees only one end user's data. Tokens are minted with the client secret, kept, and replaced a minute before they
 * expire. Each group of endpoints is its own small class: {@link #connectSessions()}, {@link #credentials()},
 * {@link #endUsers()}, {@link #connectors()}, {@link #proxy(String)}; the management API, for a tenant-wide client:
 * {@link #webhooks()}, {@link #auditEvents()}, {@link #integrations()}, {@link #customConnectors()}.
 */
public final class PlugboardClient {

    private final Http http;
    private final ApiTokens tokens;
    private final TokenSource token;

    private PlugboardClient(Http http, ApiTokens tokens, TokenSource token) {
        this.http = http;
        this.tokens = tokens;
        this.token = token;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client for one end user, sharing this one's connections: its token's subject is {@code endUserId}, so the
     * API shows and changes only that end user's credentials and connect sessions.
     */
    public PlugboardClient forEndUser(String endUserId) {
        ApiTokens.requireText(endUserId, "endUserId");
        String lower = endUserId.toLowerCase(Locale.ROOT);
        if (lower.equals(ApiTokens.TENANT) || lower.startsWith(ApiTokens.TENANT + ":")) {
            throw new IllegalArgumentException("'" + endUserId + "' names the whole tenant, not an end user");
        }
        return new PlugboardClient(http, tokens, new TokenSource(tokens, endUserId));
    }

    /** The subject of this client's tokens: {@code tenant} or the end user's id. */
    public String subject() {
        return token.subject();
    }

    /** The bearer token this client currently sends, for a call this library does not cover. */
    public String token() {
        return token.token();
    }

    public ConnectSessions connectSessions() {
        return new ConnectSessions(http, token);
    }

    public Credentials credentials() {
        return new Credentials(http, token);
    }

    public EndUsers endUsers() {
        return new EndUsers(http, token);
    }

    public Connectors connectors() {
        return new Connectors(http, token);
    }

    /** The tenant's webhook endpoints and delivery logs (a tenant-wide client only). */
    public Webhooks webhooks() {
        return new Webhooks(http, token);
    }

    /** The tenant's audit trail, polled after a cursor (a tenant-wide client only). */
    public AuditEvents auditEvents() {
        return new AuditEvents(http, token);
    }

    /** Enabling connectors, their OAuth apps and settings (a tenant-wide client only). */
    public Integrations integrations() {
        return new Integrations(http, token);
    }

    /** The tenant's own connector definitions (a tenant-wide client only). */
    public CustomConnectors customConnectors() {
        return new CustomConnectors(http, token);
    }

    /** The CRM the credential {@code credentialId} is for, through the Universal CRM API's one model. */
    public UniversalCrm universalCrm(String credentialId) {
        return new UniversalCrm(http, token, credentialId);
    }

    /** Calls to the provider's API through the credential {@code credentialId}. */
    public Proxy proxy(String credentialId) {
        return new Proxy(http, token, credentialId, Map.of());
    }

    public static final class Builder {

        private String baseUrl;
        private String clientId;
        private String clientSecret;
        private HttpClient httpClient;
        private Duration timeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where Plugboard is served, such as {@code https://plugboard.example.com} (without {@code /api/v1}). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** The JDK client to send with (proxy, SSL context, executor); by default one following no redirects. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How long one request may wait for its answer (default 60 s; proxied calls wait for the provider). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The clock tokens are dated by. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public PlugboardClient build() {
            String base = ApiTokens.requireText(baseUrl, "baseUrl").strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            URI uri = URI.create(base);
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL: " + baseUrl);
            }
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            var tokens = new ApiTokens(clientId, clientSecret, clock);
            return new PlugboardClient(new Http(client, base, timeout, Json.mapper()), tokens,
                    new TokenSource(tokens, ApiTokens.TENANT));
        }
    }
}
