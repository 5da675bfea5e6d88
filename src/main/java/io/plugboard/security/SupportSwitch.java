package io.plugboard.security;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A customer-success user's support session in one tenant: the tenant, the reason they typed, who they are,
 * until when it lasts and whether they enabled changes. Lives in the portal (Vaadin) session, which sign-out
 * invalidates.
 *
 * @param staff            the customer-success user, so the session's end can be audited even when nobody is
 *                         signed in any more (the portal session timed out)
 * @param changesEnabledAt when the user confirmed that this session may change data; null while it is read-only
 */
public record SupportSwitch(UUID tenantId, String tenantName, String reason, PortalPrincipal staff,
                            Instant startedAt, Instant expiresAt, @Nullable Instant changesEnabledAt)
        implements Serializable {

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Never negative. */
    public Duration remaining(Instant now) {
        return expired(now) ? Duration.ZERO : Duration.between(now, expiresAt);
    }

    public boolean changesEnabled() {
        return changesEnabledAt != null;
    }

    public SupportSwitch withChangesEnabled(Instant at) {
        return new SupportSwitch(tenantId, tenantName, reason, staff, startedAt, expiresAt, at);
    }
}
