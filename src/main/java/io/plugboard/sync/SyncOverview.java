package io.plugboard.sync;

import java.util.List;

/** A credential's sync: each model synced, in model order (none when sync is off). */
public record SyncOverview(String credentialId, List<SyncStatus> models) {
}
