package io.plugboard.security;

import com.vaadin.flow.server.VaadinSession;
import io.plugboard.common.NotFoundException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.access.AccessDeniedException;
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

    /** The API client of this request, if it came with a tenant JWT. */
    public Optional<ApiPrincipal> apiClient() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal client) {
            return Optional.of(client);
        }
        return Optional.empty();
    }

    /** The tenant this request acts in, if any. */
    public Optional<TenantContext> tenant() {
        var api = apiClient();
        if (api.isPresent()) {
            return Optional.of(new TenantContext(api.get().tenantId(), api.get().tenantName(), null));
        }
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
    /**
     * The tenant context, if this request acts in {@code tenantId}. Anything else answers "not found",
     * the same as an id that does not exist, so probing another tenant reveals nothing.
     */
    public TenantContext requireTenant(UUID tenantId) {
        return tenant().filter(context -> context.tenantId().equals(tenantId))
                .orElseThrow(() -> new NotFoundException("Tenant"));
    }

    /** As {@link #requireTenant}, and refuses customer success, whose access is read-only. */
    public TenantContext requireWritableTenant(UUID tenantId) {
        TenantContext context = requireTenant(tenantId);
        if (context.viaSupport()) {
            throw new AccessDeniedException("customer-success access is read-only");
        }
        return context;
    }

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
