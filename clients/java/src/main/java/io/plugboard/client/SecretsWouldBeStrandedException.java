package io.plugboard.client;

import java.util.Map;

/**
 * The {@code 409} ({@code secrets-would-be-stranded}) of a custom connector change that moves where secrets are sent,
 * or a delete, while credentials or the OAuth app secret depend on it: nothing was changed. To go ahead, send the same
 * change again with {@link #credentialsNeedingReconnect()} as the confirmed count; a count that is no longer current
 * is refused again with the new one.
 */
public final class SecretsWouldBeStrandedException extends PlugboardApiException {

    static final String TYPE = "secrets-would-be-stranded";

    SecretsWouldBeStrandedException(int status, String type, String title, String detail, String field, String rule,
                                    String requestId, Long retryAfterSeconds, Map<String, Object> properties) {
        super(status, type, title, detail, field, rule, requestId, retryAfterSeconds, properties);
    }

    /** How many credentials would need reconnecting: the count to confirm. */
    public int credentialsNeedingReconnect() {
        return properties().get("credentialsNeedingReconnect") instanceof Number n ? n.intValue() : 0;
    }

    /** Whether the OAuth app's client secret would be forgotten (enter it again for the new destination). */
    public boolean oauthAppSecretCleared() {
        return Boolean.TRUE.equals(properties().get("oauthAppSecretCleared"));
    }

    /** Whether the secret connector settings would be forgotten. */
    public boolean secretSettingsCleared() {
        return Boolean.TRUE.equals(properties().get("secretSettingsCleared"));
    }
}
