package io.plugboard.sync;

import java.util.List;
import java.util.UUID;

/**
 * Application events other features (webhooks) react to, published inside the transaction of the sync change they
 * describe: the page saved with its checkpoint, or the outcome of a run written to its state.
 */
public final class SyncEvents {

    private SyncEvents() {
    }

    /** What every sync event tells: whose sync of which model. */
    public sealed interface SyncEvent permits RecordsChanged, Failed, Recovered {

        UUID tenantId();

        String credentialId();

        String appKey();

        String endUserId();

        /** The Universal model's key: {@code people}, {@code notes}, {@code tasks} or {@code users}. */
        String model();
    }

    /**
     * The CRM's ids of the records a saved page created (new, or back after being marked deleted), updated (any
     * stored value differs) and, at the end of a full pass, marked deleted. Records read again unchanged are in none.
     */
    public record RecordsChanged(UUID tenantId, String credentialId, String appKey, String endUserId, String model,
                                 List<String> created, List<String> updated, List<String> deleted)
            implements SyncEvent {
    }

    /** The first failed run after a success (or since the sync began): later failures of the streak are quiet. */
    public record Failed(UUID tenantId, String credentialId, String appKey, String endUserId, String model,
                         String error) implements SyncEvent {
    }

    /** The first complete run after {@code failures} failed runs in a row. */
    public record Recovered(UUID tenantId, String credentialId, String appKey, String endUserId, String model,
                            int failures) implements SyncEvent {
    }
}
