package io.plugboard.connector;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** @param newClientSecret null or blank keeps the stored secret */
public record IntegrationUpdate(boolean enabled, @Nullable String clientId, @Nullable String newClientSecret,
                                List<String> scopes) {
}
