package io.plugboard.sync.sqlaccess;

import java.time.Instant;

/** A tenant's read-only SQL login as Settings shows it; its password is nowhere to be read. */
public record SqlLogin(String roleName, Instant createdAt, Instant passwordChangedAt) {
}
