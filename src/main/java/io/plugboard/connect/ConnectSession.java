package io.plugboard.connect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored connect session. Its token exists only as a hash.
 *
 * @param locale the language its pages speak, a BCP 47 tag; null: the browser's
 */
public record ConnectSession(String id, UUID tenantId, String endUserId, @Nullable String endUserEmail,
                             @Nullable String endUserName, @Nullable List<String> allowedConnectors,
                             Map<String, Map<String, String>> prefill, Map<String, Map<String, Object>> metadata,
                             @Nullable String redirectUrl, @Nullable String reconnectCredentialId, Instant expiresAt,
                             Status status, List<String> credentialIds, Instant createdAt, @Nullable Instant completedAt,
                             @Nullable String locale) {

    public enum Status { PENDING, COMPLETED, CANCELLED }

    /** What the API reports: EXPIRED is derived from the clock, not stored. */
    public String publicStatus(Instant now) {
        if (status == Status.CANCELLED) {
            return "CANCELLED";
        }
        if (status == Status.COMPLETED) {
            return "COMPLETED";
        }
        return now.isBefore(expiresAt) ? "PENDING" : "EXPIRED";
    }

    /** Only a pending session connects anything: a completed one has connected its account. */
    public boolean usable(Instant now) {
        return status == Status.PENDING && now.isBefore(expiresAt);
    }
}
