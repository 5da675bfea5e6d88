package io.plugboard.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A credential's sync: each model synced, in model order (none when sync is off), and for a revoked credential
 * when its synced data is deleted.
 */
public record SyncOverview(
        String credentialId,
        List<SyncStatus> models,
        @Schema(description = "Revoked credentials only: when the synced records and sync states are deleted "
                + "(plugboard.sync.retention-after-revocation after the revocation), or were; null otherwise",
                example = "2027-01-06T21:00:00Z") @Nullable Instant purgeAt) {
}
