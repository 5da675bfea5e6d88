package io.plugboard.client;

import java.util.List;
import java.util.Map;

/**
 * A connect session to open for one end user: {@code NewConnectSession.forEndUser("agent-42")
 * .withAllowedConnectors(List.of("roller")).withPrefill(Map.of("roller", Map.of("clientId", "venue-client-id")))}.
 * {@code prefill} and {@code metadata} are keyed by connector ({@code appKey}); {@code reconnectCredentialId}
 * re-authenticates an existing credential, which keeps its id; {@code locale} (a BCP 47 tag for {@code en},
 * {@code de}, {@code fr} or {@code es}, a region allowed) is the connect page's language, else the browser's.
 */
public record NewConnectSession(EndUser endUser, List<String> allowedConnectors,
                                Map<String, Map<String, String>> prefill, Map<String, Map<String, Object>> metadata,
                                String redirectUrl, String reconnectCredentialId, String locale) {

    public static NewConnectSession forEndUser(String endUserId) {
        return forEndUser(new EndUser(endUserId, null, null));
    }

    public static NewConnectSession forEndUser(EndUser endUser) {
        return new NewConnectSession(endUser, null, null, null, null, null, null);
    }

    public NewConnectSession withAllowedConnectors(List<String> appKeys) {
        return new NewConnectSession(endUser, appKeys, prefill, metadata, redirectUrl, reconnectCredentialId, locale);
    }

    public NewConnectSession withPrefill(Map<String, Map<String, String>> prefill) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId, locale);
    }

    public NewConnectSession withMetadata(Map<String, Map<String, Object>> metadata) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId, locale);
    }

    public NewConnectSession withRedirectUrl(String redirectUrl) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId, locale);
    }

    /** The language of the connect page, e.g. {@code "de"} or {@code "fr-CA"}; the server refuses any other (400). */
    public NewConnectSession withLocale(String locale) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId, locale);
    }

    public NewConnectSession reconnecting(String credentialId) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, credentialId, locale);
    }

    /** The end user, by the tenant's own id; e-mail and display name are optional. */
    public record EndUser(String id, String email, String displayName) {
    }
}
