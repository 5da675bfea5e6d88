package io.plugboard.connect;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant backend asks for: a session for one end user, optionally limited to some connectors,
 * with prefilled form fields and metadata per connector.
 */
public record NewConnectSession(EndUser endUser, @Nullable List<String> allowedConnectors,
                                @Nullable Map<String, Map<String, String>> prefill,
                                @Nullable Map<String, Map<String, Object>> metadata,
                                @Nullable String redirectUrl, @Nullable String reconnectCredentialId) {

    public record EndUser(String id, @Nullable String email, @Nullable String displayName) {
    }
}
