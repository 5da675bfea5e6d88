package io.plugboard.credential;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Narrows a tenant's credentials. {@code metadataKey}/{@code metadataValue} match one metadata entry
 * exactly (e.g. venue = Main Hall); {@code text} searches the id, label and end user.
 */
public record CredentialFilter(@Nullable String appKey, @Nullable CredentialStatus status,
                               @Nullable String endUserId, @Nullable String metadataKey,
                               @Nullable String metadataValue, @Nullable Instant createdFrom,
                               @Nullable Instant createdTo, @Nullable String text) {

    public static CredentialFilter none() {
        return new CredentialFilter(null, null, null, null, null, null, null, null);
    }

    public CredentialFilter withEndUser(@Nullable String externalId) {
        return new CredentialFilter(appKey, status, externalId, metadataKey, metadataValue, createdFrom, createdTo, text);
    }
}
