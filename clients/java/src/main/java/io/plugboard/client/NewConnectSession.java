package io.plugboard.client;

import java.util.List;
import java.util.Map;

/**
 * A connect session to open for one end user: {@code NewConnectSession.forEndUser("agent-42")
 * .withAllowedConnectors(List.of("roller")).withPrefill(Map.of("roller", Map.of("clientId", "venue-client-id")))}.
 * {@code prefill} and {@code metadata} are keyed by connector ({@code appKey}); {@code reconnectCredentialId}
 * re-authenticates an existing credential, which keeps its id.
 */
public record NewConnectSession(EndUser endUser, List<String> allowedConnectors,
                                Map<String, Map<String, String>> prefill, Map<String, Map<String, Object>> metadata,
                                String redirectUrl, String reconnectCredentialId) {

    public static NewConnectSession forEndUser(String endUserId) {
        return forEndUser(new EndUser(endUserId, null, null));
    }

    public static NewConnectSession forEndUser(EndUser endUser) {
        return new NewConnectSession(endUser, null, null, null, null, null);
    }

    public NewConnectSession withAllowedConnectors(List<String> appKeys) {
        return new NewConnectSession(endUser, appKeys, prefill, metadata, redirectUrl, reconnectCredentialId);
    }

    public NewConnectSession withPrefill(Map<String, Map<String, String>> prefill) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId);
    }

    public NewConnectSession withMetadata(Map<String, Map<String, Object>> metadata) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId);
    }

    public NewConnectSession withRedirectUrl(String redirectUrl) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, reconnectCredentialId);
    }

    public NewConnectSession reconnecting(String credentialId) {
        return new NewConnectSession(endUser, allowedConnectors, prefill, metadata, redirectUrl, credentialId);
    }

    /** The end user, by the tenant's own id; e-mail and display name are optional. */
    public record EndUser(String id, String email, String displayName) {
    }
}
