package io.plugboard.crypto;

/** A re-encryption is running already (on this or another instance): two at once would only compete for rows. */
public class ReencryptionRunningException extends IllegalStateException {

    public ReencryptionRunningException(ReencryptionRun running) {
        super("A re-encryption started by " + running.startedBy() + " at " + running.startedAt()
                + " is still running (" + running.done() + " of " + running.total() + " secrets done). "
                + "Wait for it to finish; if its instance stopped, it is taken over once it has made no progress for "
                + ReencryptionRuns.STALE_AFTER.toMinutes() + " minutes.");
    }
}
