package io.plugboard.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/integrations}: what a tenant admin configures on the portal's Connectors page (a tenant-wide token
 * only). Secrets are write-only: an OAuth app's client secret and secret settings go in and only whether they are
 * set comes back.
 */
public final class Integrations {

    private static final String PATH = "/api/v1/integrations";

    private final Http http;
    private final TokenSource token;

    Integrations(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    /** Every connector the tenant can use, catalog and custom, with the tenant's integration of it. */
    public List<Integration> list() {
        return http.call(token, "GET", PATH, null, IntegrationList.class).items();
    }

    public Integration get(String appKey) {
        return http.call(token, "GET", path(appKey), null, Integration.class);
    }

    /** Lets end users connect it, or stops them (an authorization-code connector needs its OAuth app first). */
    public Integration setEnabled(String appKey, boolean enabled) {
        return http.call(token, "PATCH", path(appKey), Map.of("enabled", enabled), Integration.class);
    }

    /** Stores the tenant's OAuth app at the provider; register the answer's {@code oauthApp.redirectUri} there. */
    public Integration setOAuthApp(String appKey, OAuthAppChange app) {
        return http.call(token, "PUT", path(appKey) + "/oauth-app", app, Integration.class);
    }

    /** Forgets the OAuth app; only once the integration is disabled. */
    public Integration removeOAuthApp(String appKey) {
        return http.call(token, "DELETE", path(appKey) + "/oauth-app", null, Integration.class);
    }

    /**
     * Connector settings by key: a blank plain value clears it, a key not given keeps it; a secret replaces the
     * stored one, a blank or absent one keeps it. Either map may be null.
     */
    public Integration setSettings(String appKey, Map<String, String> values, Map<String, String> secrets) {
        return http.call(token, "PUT", path(appKey) + "/settings", new SettingsChange(values, secrets),
                Integration.class);
    }

    private static String path(String appKey) {
        return PATH + "/" + Http.encode(appKey);
    }

    /**
     * The tenant's OAuth app: a null {@code clientSecret} keeps the stored one, null {@code scopes} the stored
     * scopes. A client-credentials connector takes only scopes.
     */
    public record OAuthAppChange(String clientId, String clientSecret, List<String> scopes) {

        public static OAuthAppChange of(String clientId, String clientSecret) {
            return new OAuthAppChange(clientId, clientSecret, null);
        }

        public OAuthAppChange withScopes(List<String> scopes) {
            return new OAuthAppChange(clientId, clientSecret, scopes == null ? null : List.copyOf(scopes));
        }

        @Override
        public String toString() {
            return "OAuthAppChange[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? null : "***")
                    + ", scopes=" + scopes + "]";
        }
    }

    /**
     * A connector and the tenant's integration of it. {@code source} is {@code BUILT_IN}, {@code OPERATOR} or
     * {@code CUSTOM}; {@code oauthApp} is null for API-key and basic connectors.
     */
    public record Integration(String appKey, String name, String source, String authMode, boolean enabled,
                              OAuthApp oauthApp, List<Setting> settings, Instant updatedAt) {

        public Integration {
            settings = settings == null ? List.of() : List.copyOf(settings);
        }
    }

    /** The OAuth app as stored: whether a client secret is set, never the secret. */
    public record OAuthApp(boolean configured, String clientId, boolean clientSecretSet, List<String> scopes,
                           String redirectUri) {

        public OAuthApp {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /** A connector setting: a plain one has its {@code value}, a secret one only whether it is {@code set}. */
    public record Setting(String key, String label, boolean secret, String value, boolean set, String help) {
    }

    private record SettingsChange(Map<String, String> values, Map<String, String> secrets) {
    }

    private record IntegrationList(List<Integration> items) {

        IntegrationList {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }
}
