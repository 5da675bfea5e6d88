package io.plugboard.credential;

import io.plugboard.connector.BoundCredentials;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The credentials side of a confirmed connector destination change (see {@link BoundCredentials}). */
@Component
class StrandedCredentials implements BoundCredentials {

    private final CredentialStore store;
    private final DestinationGuard guard;

    StrandedCredentials(CredentialStore store, DestinationGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    @Override
    public int count(UUID tenantId, String appKey) {
        return store.holdingSecrets(tenantId, appKey).size();
    }

    @Override
    public int strand(UUID tenantId, String appKey) {
        int stranded = 0;
        for (String id : store.holdingSecrets(tenantId, appKey)) {
            // Audited under whoever saved the connector: the change was theirs.
            guard.strand(tenantId, id, DestinationGuard.CONNECTOR_CHANGED, null);
            stranded++;
        }
        return stranded;
    }
}
