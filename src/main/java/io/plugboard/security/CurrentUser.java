package io.plugboard.security;

import com.vaadin.flow.server.VaadinSession;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Resolves the signed-in principal and the tenant the current request acts in. Platform staff have
 * no tenant unless customer success switched into one.
 */
@Component
public class CurrentUser {

    public Optional<PortalPrincipal> principal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof PortalPrincipal principal) {
            return Optional.of(principal);
        }
        return Optional.empty();
    }

    public PortalPrincipal require() {
        return principal().orElseThrow(() -> new IllegalStateException("no signed-in portal user"));
    }

    /** The tenant this request acts in, if any. */
    public Optional<TenantContext> tenant() {
        return principal().flatMap(principal -> {
            if (principal.tenantId() != null) {
                return Optional.of(new TenantContext(principal.tenantId(), principal.tenantName(), null));
            }
            if (principal.role().equals(AppRoles.SUPPORT)) {
                return supportSwitch().map(s -> new TenantContext(s.tenantId(), s.tenantName(), s.reason()));
            }
            return Optional.empty();
        });
    }

    /** The switch lives in the portal (Vaadin) session, which sign-out invalidates. */
    public Optional<SupportSwitch> supportSwitch() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable(session.getAttribute(SupportSwitch.class));
    }

    /** Only the support switch flow calls this, after it has audited the switch. */
    public void rememberSupportSwitch(SupportSwitch supportSwitch) {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null) {
            throw new IllegalStateException("a support switch needs a portal session");
        }
        session.setAttribute(SupportSwitch.class, supportSwitch);
    }

    public void forgetSupportSwitch() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.setAttribute(SupportSwitch.class, null);
        }
    }
}
