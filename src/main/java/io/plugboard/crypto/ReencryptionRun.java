package io.plugboard.crypto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One re-encryption under a new primary master key, as far as it got.
 *
 * @param heartbeatAt when the run last finished a batch; a RUNNING run that stopped renewing it was interrupted
 */
public record ReencryptionRun(UUID id, int primaryKeyId, String startedBy, Instant startedAt, Instant heartbeatAt,
                              Status status, @Nullable Instant finishedAt, @Nullable String error,
                              List<Progress> progress) {

    public enum Status { RUNNING, FINISHED, FAILED }

    /**
     * One kind of secret.
     *
     * @param total      on an older key when the run started
     * @param resealed   re-sealed under the primary key by the run
     * @param changed    moved to the primary key by the application's own writes during the run (a refresh, a
     *                   rotation), or deleted; the run leaves those as they are
     * @param unreadable did not open in the run's latest pass, and were left as they are
     */
    public record Progress(String kind, long total, long resealed, long changed, long unreadable) {

        public long done() {
            return resealed + changed + unreadable;
        }
    }

    public long total() {
        return progress.stream().mapToLong(Progress::total).sum();
    }

    public long done() {
        return progress.stream().mapToLong(Progress::done).sum();
    }

    public long resealed() {
        return progress.stream().mapToLong(Progress::resealed).sum();
    }
}
