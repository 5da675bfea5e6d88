package io.plugboard.tenant;

import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Refuses tenant-owned work outside the caller's tenant. A mismatch answers "not found", the same as
 * an id that does not exist, so probing reveals nothing.
 */
@Component
class TenantAccess {

    private final CurrentUser currentUser;

    TenantAccess(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    TenantContext require(UUID tenantId) {
        return currentUser.tenant()
                .filter(context -> context.tenantId().equals(tenantId))
                .orElseThrow(() -> new NotFoundException("Tenant"));
    }

    /** Tenant work requested by a support user must have come through the audited switch. */
    void requireOwnTenantNotSupport(UUID tenantId) {
        if (require(tenantId).viaSupport()) {
            throw new org.springframework.security.access.AccessDeniedException("support access is read-only");
        }
    }
}
