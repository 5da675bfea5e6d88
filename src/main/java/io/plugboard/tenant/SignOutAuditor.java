package io.plugboard.tenant;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.PortalPrincipal;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;

@Component
class SignOutAuditor {

    private final AuditLog audit;

    SignOutAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void signedOut(LogoutSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof PortalPrincipal principal) {
            audit.record(AuditLog.actorOf(principal), AuditRecord.of("user.signout", principal.tenantId())
                    .target("user", principal.userId()));
        }
    }
}
