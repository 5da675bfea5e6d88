package io.plugboard.dashboard;

import io.plugboard.credential.CredentialStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A credential on one of the dashboard's action lists.
 *
 * @param status REFRESH_FAILED or NEEDS_RECONNECT on the reconnect list (why it needs one), REVOKED on revocations
 * @param at     when it happened: the last refused refresh, the destination change, or the revocation
 * @param by     who revoked it (revocations only)
 */
public record CredentialAlert(String credentialId, String appKey, String connectorName, String endUserId,
                              @Nullable String label, CredentialStatus status, @Nullable Instant at,
                              @Nullable String by) {
}
