package io.plugboard.security;

import com.vaadin.flow.server.VaadinSession;
import io.plugboard.common.NotFoundException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
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

    private final Clock clock;
    /** Lazily: the check's implementation audits, and the audit trail asks this class who acts. */
    private final ObjectProvider<PortalAccessCheck> access;

    public CurrentUser(Clock clock, ObjectProvider<PortalAccessCheck> access) {
        this.clock = clock;
        this.access = access;
    }

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
                return activeSupportSwitch().map(s -> new TenantContext(s.tenantId(), s.tenantName(), s.reason(),
                        !s.changesEnabled()));
            }
            return Optional.empty();
        });
    }

    /**
     * The rows this request may see in the database: its tenant's; platform staff outside any tenant (platform
     * admins, platform-wide auditors, customer success before they switch into a tenant) work across tenants, which
     * their pages and services are limited to by role; nobody else (anonymous requests) sees any tenant's rows. A
     * support session whose time is up sees none.
     */
    public Optional<TenantScope.Scope> databaseScope() {
        Optional<TenantContext> context = tenant();
        if (context.isPresent()) {
            return Optional.of(new TenantScope.Tenant(context.get().tenantId()));
        }
        return principal().filter(p -> p.tenantId() == null)
                .filter(p -> !p.role().equals(AppRoles.SUPPORT) || supportSwitch().isEmpty())
                .map(p -> new TenantScope.Platform("platform staff (" + p.role() + ")"));
    }

    /**
     * The tenant context, if this request acts in {@code tenantId}. Anything else answers "not found",
     * the same as an id that does not exist, so probing another tenant reveals nothing.
     */
    public TenantContext requireTenant(UUID tenantId) {
        return tenant().filter(context -> context.tenantId().equals(tenantId))
                .orElseThrow(() -> new NotFoundException("Tenant"));
    }

    /**
     * As {@link #requireTenant}, for every service method that changes tenant data: customer success must
     * first have enabled changes for their support session (the roles allowed are each method's own rule).
     */
    public TenantContext requireWritableTenant(UUID tenantId) {
        requireCurrentActor();
        TenantContext context = requireTenant(tenantId);
        if (context.readOnly()) {
            throw new AccessDeniedException(
                    "Customer-success access is read-only: enable changes for this support session first.");
        }
        return context;
    }

    /**
     * For every service method that changes data, inside its transaction: the signed-in portal user may still act by
     * the rules of sign-in, read from the database now (enabled, same role and tenant, tenant active, no password
     * reset since sign-in). The per-request check in front of the portal usually refuses first; this one also holds
     * for a change that raced it, and for callers that come in by another way. API clients pass: their token is
     * checked against the tenant on every call.
     */
    public void requireCurrentActor() {
        var portalUser = principal();
        if (portalUser.isEmpty()) {
            return;
        }
        PortalAccessCheck check = access.getIfAvailable();
        if (check == null) {
            throw new IllegalStateException("no portal access check configured");
        }
        check.refusalNow(portalUser.get()).ifPresent(refusal -> {
            throw new AccessDeniedException(refusal.message());
        });
    }

    /**
     * Whether the portal should offer actions that change the current tenant's data: to its admins, and to
     * customer success who enabled changes for their support session. Auditors never.
     */
    public boolean mayChangeTenantData() {
        String role = principal().map(PortalPrincipal::role).orElse("");
        return (role.equals(AppRoles.TENANT_ADMIN) || role.equals(AppRoles.SUPPORT))
                && tenant().filter(context -> !context.readOnly()).isPresent();
    }

    /**
     * The support session of this portal session, even when its time is up (so it can be ended and the user told
     * why); {@link #tenant()} ignores an expired one. The switch lives in the portal (Vaadin) session, which
     * sign-out invalidates.
     */
    public Optional<SupportSwitch> supportSwitch() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty()
                : Optional.ofNullable(locked(session, () -> session.getAttribute(SupportSwitch.class)));
    }

    /** The support session while its time limit has not passed. */
    public Optional<SupportSwitch> activeSupportSwitch() {
        return supportSwitch().filter(s -> !s.expired(clock.instant()));
    }

    /** Only the support session flow calls this, after it has audited the switch or the change. */
    public void rememberSupportSwitch(SupportSwitch supportSwitch) {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null) {
            throw new IllegalStateException("a support switch needs a portal session");
        }
        locked(session, () -> {
            session.setAttribute(SupportSwitch.class, supportSwitch);
            return null;
        });
    }

    public void forgetSupportSwitch() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            locked(session, () -> {
                session.setAttribute(SupportSwitch.class, null);
                return null;
            });
        }
    }

    /**
     * Session attributes need the session lock. Requests hold it; the API console's worker threads, which
     * act for the user in the same portal session, take it for the moment of the read.
     */
    private static <T extends @Nullable Object> T locked(VaadinSession session, Supplier<T> work) {
        if (session.hasLock()) {
            return work.get();
        }
        session.lock();
        try {
            return work.get();
        } finally {
            session.unlock();
        }
    }
}
