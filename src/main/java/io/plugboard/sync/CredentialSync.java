package io.plugboard.sync;

import io.plugboard.credential.CredentialView;
import java.util.List;

/** A credential whose sync is on, with each model synced (in model order). */
public record CredentialSync(CredentialView credential, List<SyncStatus> models) {
}
