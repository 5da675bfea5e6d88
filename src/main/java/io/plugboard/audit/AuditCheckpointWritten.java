package io.plugboard.audit;

/** Published in the transaction that records a checkpoint, for the {@code audit.checkpoint} webhook event. */
public record AuditCheckpointWritten(AuditCheckpoint checkpoint) {
}
