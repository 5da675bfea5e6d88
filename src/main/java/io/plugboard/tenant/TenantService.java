package io.plugboard.tenant;

import io.plugboard.common.NotFoundException;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.crypto.SecretVault;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants: creation and suspension by platform admins, API client credentials for tenant admins. */
@Service
@Transactional(readOnly = true)
public class TenantService {

    private final TenantRepository tenants;
    private final TenantProvisioning provisioning;
    private final SecretVault vault;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final PortalUserRepository users;

    TenantService(TenantRepository tenants, TenantProvisioning provisioning, SecretVault vault,
                  AuditLog audit, CurrentUser currentUser, Clock clock, ApplicationEventPublisher events,
                  PortalUserRepository users) {
        this.users = users;
        this.events = events;
        this.tenants = tenants;
        this.provisioning = provisioning;
        this.vault = vault;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    @Transactional
    public CreatedTenant create(NewTenant request) {
        currentUser.requireCurrentActor();
        return provisioning.createTenant(AuditLog.actorOf(currentUser.require()), request, null, null);
    }

    /** For platform staff: pick a tenant to manage, switch into or filter by. */
    @PreAuthorize("hasAnyRole('PLATFORM_ADMIN', 'SUPPORT') or (hasRole('AUDITOR') and @currentUser.require().platformStaff())")
    public List<TenantSummary> search(String text, Pageable page) {
        return tenants.search(text.strip(), page).map(TenantSummary::of).getContent();
    }

    @PreAuthorize("hasAnyRole('PLATFORM_ADMIN', 'SUPPORT') or (hasRole('AUDITOR') and @currentUser.require().platformStaff())")
    public long count(String text) {
        return tenants.search(text.strip(), Pageable.ofSize(1)).getTotalElements();
    }

    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    @Transactional
    public TenantSummary suspend(UUID tenantId) {
        currentUser.requireCurrentActor();
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        if (tenant.active()) {
            tenant.suspend(clock.instant());
            audit.record(AuditRecord.of("tenant.suspended", tenantId).target("tenant", tenantId)
                    .detail("slug", tenant.slug()));
            events.publishEvent(new ApiClientKeyChanged(tenantId));
        }
        return TenantSummary.of(tenant);
    }

    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    @Transactional
    public TenantSummary reactivate(UUID tenantId) {
        currentUser.requireCurrentActor();
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        if (!tenant.active()) {
            tenant.reactivate();
            audit.record(AuditRecord.of("tenant.reactivated", tenantId).target("tenant", tenantId)
                    .detail("slug", tenant.slug()));
            events.publishEvent(new ApiClientKeyChanged(tenantId));
        }
        return TenantSummary.of(tenant);
    }

    /**
     * Names the tenant admin who may still sign in with a password while the tenant requires single sign-on (blank:
     * nobody). A platform admin's decision, not the tenant's: the way back in when the tenant's provider fails.
     */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    @Transactional
    public @Nullable String nameBreakGlassAdmin(UUID tenantId, @Nullable String email) {
        currentUser.requireCurrentActor();
        tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        String normalized = email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT);
        UUID userId = null;
        if (normalized != null) {
            userId = users.findByEmail(normalized).filter(u -> tenantId.equals(u.tenantId()))
                    .filter(u -> u.role().equals(AppRoles.TENANT_ADMIN)).map(PortalUser::id)
                    .orElseThrow(() -> new InvalidRequestException("The break-glass admin must be a tenant admin of "
                            + "this tenant; " + normalized + " is not."));
        }
        tenants.setBreakGlassAdmin(tenantId, userId);
        audit.record(AuditRecord.of("tenant.sso.break_glass.named", tenantId).target("tenant", tenantId)
                .detail("email", normalized));
        return normalized;
    }

    /** The e-mail of the tenant's break-glass admin, or null. */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public @Nullable String breakGlassAdmin(UUID tenantId) {
        return tenants.breakGlassAdmin(tenantId).flatMap(users::findById).map(PortalUser::email).orElse(null);
    }

    /** The caller's own tenant (or the one support switched into). */
    @PreAuthorize("isAuthenticated()")
    public TenantSummary get(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return tenants.findById(tenantId).map(TenantSummary::of).orElseThrow(() -> new NotFoundException("Tenant"));
    }

    @PreAuthorize("hasRole('TENANT_ADMIN')")
    public ApiCredentials apiCredentials(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        return new ApiCredentials(tenant.clientId(), tenant.secretRotatedAt());
    }

    /** Issues a new client secret; the returned value is the only time anyone sees it. */
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    @Transactional
    public String rotateClientSecret(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        String secret = ClientSecrets.newSecret();
        tenant.sealClientSecret(vault.seal(ClientSecrets.binding(tenantId), secret), clock.instant());
        audit.record(AuditRecord.of("tenant.client_secret.rotated", tenantId).target("tenant", tenantId)
                .detail("clientId", tenant.clientId()));
        events.publishEvent(new ApiClientKeyChanged(tenantId));
        return secret;
    }

    /** Platform numbers for the dashboard. */
    @PreAuthorize("hasAnyRole('PLATFORM_ADMIN', 'SUPPORT', 'AUDITOR')")
    public TenantCounts counts() {
        return new TenantCounts(tenants.countByStatus(Tenant.Status.ACTIVE),
                tenants.countByStatus(Tenant.Status.SUSPENDED));
    }

    public record ApiCredentials(String clientId, Instant secretRotatedAt) {
    }

    public record TenantCounts(long active, long suspended) {
    }

    /** Whether a tenant exists and may act; used by sign-in and, later, by API authentication. */
    public Optional<Boolean> activeState(UUID tenantId) {
        return tenants.findById(tenantId).map(Tenant::active);
    }
}
