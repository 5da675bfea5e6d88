package io.plugboard.client;

import java.time.Instant;

/** An end user who has connected accounts: the tenant's own {@code id}, and how many credentials are active. */
public record EndUserSummary(String id, String email, String displayName, Instant createdAt, long activeCredentials) {
}
