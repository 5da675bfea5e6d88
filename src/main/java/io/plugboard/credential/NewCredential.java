package io.plugboard.credential;

import io.plugboard.common.TextInput;
import io.plugboard.connector.TokenEndpoint;
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
 *
 * <p>Text the credential's and end user's columns could not hold is refused when the request is read, naming
 * the field; what the connector allows is checked by the service.
 */
public record NewCredential(String appKey, String endUserId, @Nullable String endUserEmail,
                            @Nullable String endUserName, @Nullable String label, @Nullable Map<String, String> fields,
                            @Nullable Map<String, Object> metadata, @Nullable Tokens tokens) {

    public NewCredential {
        TextInput.line("appKey", appKey, 50);
        TextInput.line("endUserId", endUserId, 200);
        TextInput.line("endUserEmail", endUserEmail, 254);
        TextInput.line("endUserName", endUserName, 200);
        TextInput.line("label", label, 200);
        TextInput.textMap("fields", fields, ConnectionFields.MAX_VALUE);
        TextInput.json("metadata", metadata, MetadataRules.MAX_STRING);
    }

    public record Tokens(String accessToken, @Nullable String refreshToken, @Nullable String tokenType,
                         @Nullable Instant expiresAt, @Nullable List<String> scopes,
                         @Nullable Map<String, String> extra) {

        /** The tokens a provider's token endpoint just issued, to store. */
        public static Tokens issued(TokenEndpoint.Tokens tokens) {
            return new Tokens(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresAt(),
                    tokens.scopes(), tokens.extra());
        }

        @Override
        public String toString() {
            return "Tokens[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***")
                    + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }
}
