package io.plugboard.tenant;

import io.plugboard.common.NotFoundException;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.SupportSwitch;
import io.plugboard.security.TenantContext;
import java.time.Clock;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Customer success opens a tenant only by naming it and saying why; both are audited. */
@Service
public class SupportSwitchService {

    private final TenantRepository tenants;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    SupportSwitchService(TenantRepository tenants, AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PreAuthorize("hasRole('SUPPORT')")
    @Transactional
    public TenantContext switchTo(UUID tenantId, String reason) {
        String why = Validation.reason(reason);
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        audit.record(AuditRecord.of("support.tenant.switched", tenant.id()).target("tenant", tenant.id())
                .reason(why).detail("tenant", tenant.name()));
        currentUser.rememberSupportSwitch(new SupportSwitch(tenant.id(), tenant.name(), why, clock.instant()));
        return new TenantContext(tenant.id(), tenant.name(), why);
    }

    @PreAuthorize("hasRole('SUPPORT')")
    @Transactional
    public void leave() {
        currentUser.supportSwitch().ifPresent(current -> {
            audit.record(AuditRecord.of("support.tenant.left", current.tenantId()).target("tenant", current.tenantId())
                    .reason(current.reason()));
            currentUser.forgetSupportSwitch();
        });
    }
}
