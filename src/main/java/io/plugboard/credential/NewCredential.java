package io.plugboard.credential;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A credential to store: from a finished connect flow, or imported through the API when migrating.
 *
 * @param endUserId the tenant's own id for the end user (created on first use)
 * @param fields    the connector's form fields (API key, username/password, client ID/secret, subdomain…)
 * @param tokens    OAuth tokens, for OAuth connectors
 */
public record NewCredential(String appKey, String endUserId, @Nullable String endUserEmail,
                            @Nullable String endUserName, @Nullable String label, @Nullable Map<String, String> fields,
                            @Nullable Map<String, Object> metadata, @Nullable Tokens tokens) {

    public record Tokens(String accessToken, @Nullable String refreshToken, @Nullable String tokenType,
                         @Nullable Instant expiresAt, @Nullable List<String> scopes,
                         @Nullable Map<String, String> extra) {

        @Override
        public String toString() {
            return "Tokens[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***")
                    + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }
}
