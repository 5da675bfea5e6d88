package io.plugboard.connector;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's settings for one connector as views see them: the plain values, and only which secret settings are
 * stored (usable for the connector's current destination), never their values.
 */
public record ConnectorSettings(String appKey, Map<String, String> values, Set<String> secretsStored,
                                @Nullable Instant updatedAt) {
}
