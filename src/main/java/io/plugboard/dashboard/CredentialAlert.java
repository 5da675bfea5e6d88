package io.plugboard.dashboard;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A credential on one of the dashboard's action lists.
 *
 * @param at when it happened: the last refused refresh, or the revocation
 * @param by who revoked it (revocations only)
 */
public record CredentialAlert(String credentialId, String appKey, String connectorName, String endUserId,
                              @Nullable String label, @Nullable Instant at, @Nullable String by) {
}
