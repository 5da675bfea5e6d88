package io.plugboard.audit;

import java.util.UUID;

/** A reviewer's named filter. The tenant part of {@link #filter()} is always the one it was saved in. */
public record SavedAuditFilter(UUID id, String name, AuditFilter filter) {
}
