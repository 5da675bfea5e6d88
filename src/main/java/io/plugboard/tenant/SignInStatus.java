package io.plugboard.tenant;

import io.plugboard.security.PortalPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a signed-in portal user may still be signed in: disabling the user or suspending the tenant
 * ends their sessions at the next navigation, not only at the next sign-in.
 */
@Service
public class SignInStatus {

    private final PortalUserRepository users;
    private final TenantRepository tenants;

    SignInStatus(PortalUserRepository users, TenantRepository tenants) {
        this.users = users;
        this.tenants = tenants;
    }

    @Transactional(readOnly = true)
    public boolean stillAllowed(PortalPrincipal principal) {
        return users.findById(principal.userId())
                .filter(PortalUser::enabled)
                .filter(user -> user.role().equals(principal.role()))
                .filter(user -> user.tenantId() == null
                        || tenants.findById(user.tenantId()).map(Tenant::active).orElse(false))
                .isPresent();
    }
}
