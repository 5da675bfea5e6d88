package io.plugboard.sync;

import io.plugboard.credential.CredentialView;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A credential whose sync is on, with each model synced (in model order) and, once it is revoked, when its synced
 * data is deleted.
 */
public record CredentialSync(CredentialView credential, List<SyncStatus> models, @Nullable Instant purgeAt) {
}
