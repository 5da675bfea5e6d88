package io.plugboard.connector;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's setup of one connector. The OAuth client secret is never part of it: only whether one is
 * stored.
 */
public record IntegrationSettings(String appKey, boolean enabled, @Nullable String clientId, boolean clientSecretStored,
                                  List<String> scopes, @Nullable Instant updatedAt) {

    static IntegrationSettings notConfigured(String appKey, List<String> defaultScopes) {
        return new IntegrationSettings(appKey, false, null, false, defaultScopes, null);
    }
}
