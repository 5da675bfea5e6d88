package io.plugboard.sso;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.SingleSignOnFailure;
import io.plugboard.security.TenantScope;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Audits single sign-ons the protocol refused (forged or replayed state, another nonce, an error from the
 * provider). Anyone can send such callbacks, so each kind is recorded once per source address and window, then
 * counted, as other anonymous failures are.
 */
@Component
class SsoFailureAuditor {

    private final AuditLog audit;

    SsoFailureAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void refused(SingleSignOnFailure failure) {
        UUID tenantId = failure.registrationId() == null ? null
                : SsoClientRegistrations.tenantOf(failure.registrationId()).orElse(null);
        // The error code comes from the request's handling, not from the sender; still, only a safe form is kept.
        String error = failure.error().replaceAll("[^a-z_]", "");
        TenantScope.platform("a refused sign-in is recorded before anyone is signed in", () ->
                audit.recordRepeated("user.signin.failed:sso:" + error, failure.sourceIp(),
                        AuditActor.anonymous("(single sign-on)"), AuditRecord.of("user.signin.failed", tenantId)
                                .detail("cause", error).detail("method", "sso")));
    }
}
