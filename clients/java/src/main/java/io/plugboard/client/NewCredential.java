package io.plugboard.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A credential to import when migrating: the connector's form {@code fields} (an API key, username and password,
 * client ID and secret…) or OAuth {@code tokens}. {@code NewCredential.of("stripe", "office-berlin")
 * .withFields(Map.of("apiKey", key)).withLabel("Berlin office")}.
 */
public record NewCredential(String appKey, String endUserId, String endUserEmail, String endUserName, String label,
                            Map<String, String> fields, Map<String, Object> metadata, Tokens tokens) {

    public static NewCredential of(String appKey, String endUserId) {
        return new NewCredential(appKey, endUserId, null, null, null, null, null, null);
    }

    public NewCredential withEndUser(String email, String name) {
        return new NewCredential(appKey, endUserId, email, name, label, fields, metadata, tokens);
    }

    public NewCredential withLabel(String label) {
        return new NewCredential(appKey, endUserId, endUserEmail, endUserName, label, fields, metadata, tokens);
    }

    public NewCredential withFields(Map<String, String> fields) {
        return new NewCredential(appKey, endUserId, endUserEmail, endUserName, label, fields, metadata, tokens);
    }

    public NewCredential withMetadata(Map<String, Object> metadata) {
        return new NewCredential(appKey, endUserId, endUserEmail, endUserName, label, fields, metadata, tokens);
    }

    public NewCredential withTokens(Tokens tokens) {
        return new NewCredential(appKey, endUserId, endUserEmail, endUserName, label, fields, metadata, tokens);
    }

    @Override
    public String toString() {
        return "NewCredential[appKey=" + appKey + ", endUserId=" + endUserId + ", label=" + label
                + ", fields=" + (fields == null ? "none" : fields.keySet()) + ", tokens=" + tokens + "]";
    }

    /** OAuth tokens issued elsewhere; {@code refreshToken}, {@code expiresAt} and the rest are optional. */
    public record Tokens(String accessToken, String refreshToken, String tokenType, Instant expiresAt,
                         List<String> scopes, Map<String, String> extra) {

        public static Tokens of(String accessToken, String refreshToken, Instant expiresAt) {
            return new Tokens(accessToken, refreshToken, null, expiresAt, null, null);
        }

        @Override
        public String toString() {
            return "Tokens[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***")
                    + ", expiresAt=" + expiresAt + "]";
        }
    }
}
