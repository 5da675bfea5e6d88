package io.plugboard.security;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The tenant a portal request acts in, resolved once from the signed-in user or a support switch,
 * then passed explicitly to every service that reads tenant-owned data.
 *
 * @param supportReason the reason typed by customer success when they switched into the tenant;
 *                      null for the tenant's own users
 * @param readOnly      customer success who have not enabled changes for their support session: services
 *                      refuse every change ({@link CurrentUser#requireWritableTenant})
 */
public record TenantContext(UUID tenantId, String tenantName, @Nullable String supportReason, boolean readOnly) {

    /** Customer success start read-only; everybody else is limited by their role alone. */
    public TenantContext(UUID tenantId, String tenantName, @Nullable String supportReason) {
        this(tenantId, tenantName, supportReason, supportReason != null);
    }

    public boolean viaSupport() {
        return supportReason != null;
    }
}
