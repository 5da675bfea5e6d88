package io.plugboard.security;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A customer-success user's choice of tenant, with the reason they typed. Lives in the HTTP session. */
public record SupportSwitch(UUID tenantId, String tenantName, String reason, Instant startedAt) implements Serializable {
}
