package io.plugboard.tenant;

import io.plugboard.common.NotFoundException;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Portal users. Tenant admins manage their tenant's users; platform admins manage platform staff.
 * Auditors read. Every lookup goes through the scope, so an id from elsewhere is "not found".
 */
@Service
@Transactional(readOnly = true)
public class UserService {

    private final PortalUserRepository users;
    private final TenantProvisioning provisioning;
    private final Passwords passwords;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    UserService(PortalUserRepository users, TenantProvisioning provisioning, Passwords passwords,
                AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.users = users;
        this.provisioning = provisioning;
        this.passwords = passwords;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN', 'AUDITOR')")
    public List<UserRow> list(UserScope scope, String text, Pageable page) {
        checkRead(scope);
        var found = scope.platformStaff()
                ? users.findPlatformStaff(text.strip(), page)
                : users.findInTenant(scope.tenantId(), text.strip(), page);
        return found.map(UserRow::of).getContent();
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN', 'AUDITOR')")
    public long count(UserScope scope, String text) {
        checkRead(scope);
        var found = scope.platformStaff()
                ? users.findPlatformStaff(text.strip(), Pageable.ofSize(1))
                : users.findInTenant(scope.tenantId(), text.strip(), Pageable.ofSize(1));
        return found.getTotalElements();
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN')")
    @Transactional
    public CreatedUser create(UserScope scope, NewUser request) {
        checkWrite(scope);
        return provisioning.createUser(AuditLog.actorOf(currentUser.require()), scope, request);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN')")
    @Transactional
    public UserRow setEnabled(UserScope scope, UUID userId, boolean enabled) {
        PortalUser user = find(scope, userId);
        refuseSelf(user, enabled ? "enable" : "disable");
        if (user.enabled() != enabled) {
            user.setEnabled(enabled, clock.instant());
            audit.record(AuditRecord.of(enabled ? "user.enabled" : "user.disabled", scope.tenantId())
                    .target("user", userId).detail("email", user.email()));
        }
        return UserRow.of(user);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN')")
    @Transactional
    public UserRow update(UserScope scope, UUID userId, String displayName, String role) {
        PortalUser user = find(scope, userId);
        String newName = Validation.name(displayName, "Display name");
        String newRole = Validation.role(role, scope);
        if (!newName.equals(user.displayName())) {
            user.rename(newName, clock.instant());
            audit.record(AuditRecord.of("user.updated", scope.tenantId()).target("user", userId)
                    .detail("email", user.email()).detail("displayName", newName));
        }
        if (!newRole.equals(user.role())) {
            refuseSelf(user, "change the role of");
            String oldRole = user.role();
            user.changeRole(newRole, clock.instant());
            audit.record(AuditRecord.of("user.role.changed", scope.tenantId()).target("user", userId)
                    .detail("email", user.email()).detail("from", oldRole).detail("to", newRole));
        }
        return UserRow.of(user);
    }

    /** Sets the given password, or generates one; the returned password is shown once. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN')")
    @Transactional
    public String resetPassword(UserScope scope, UUID userId, @Nullable String newPassword) {
        PortalUser user = find(scope, userId);
        String password = passwords.chooseOrGenerate(newPassword);
        user.changePassword(passwords.hash(password), clock.instant());
        audit.record(AuditRecord.of("user.password.reset", scope.tenantId()).target("user", userId)
                .detail("email", user.email()));
        return password;
    }

    public int minimumPasswordLength() {
        return passwords.minLength();
    }

    private PortalUser find(UserScope scope, UUID userId) {
        checkWrite(scope);
        return (scope.platformStaff()
                ? users.findByIdAndTenantIdIsNull(userId)
                : users.findByIdAndTenantId(userId, scope.tenantId()))
                .orElseThrow(() -> new NotFoundException("User"));
    }

    private void refuseSelf(PortalUser user, String verb) {
        if (user.id().equals(currentUser.require().userId())) {
            throw new InvalidRequestException("You cannot " + verb + " your own account.");
        }
    }

    private void checkRead(UserScope scope) {
        PortalPrincipal principal = currentUser.require();
        if (scope.platformStaff()) {
            boolean allowed = principal.platformStaff()
                    && (principal.role().equals(AppRoles.PLATFORM_ADMIN) || principal.role().equals(AppRoles.AUDITOR));
            if (!allowed) {
                throw new AccessDeniedException("platform staff are managed by platform admins");
            }
        } else {
            currentUser.requireTenant(scope.tenantId());
        }
    }

    private void checkWrite(UserScope scope) {
        PortalPrincipal principal = currentUser.require();
        // Platform-staff scope does not pass through requireWritableTenant, which checks this for tenant scopes.
        currentUser.requireCurrentActor();
        if (scope.platformStaff()) {
            if (!principal.role().equals(AppRoles.PLATFORM_ADMIN)) {
                throw new AccessDeniedException("platform staff are managed by platform admins");
            }
        } else {
            if (!principal.role().equals(AppRoles.TENANT_ADMIN)) {
                throw new AccessDeniedException("only tenant admins manage tenant users");
            }
            currentUser.requireWritableTenant(scope.tenantId());
        }
    }
}
