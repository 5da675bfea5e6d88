package io.plugboard.sso;

import io.plugboard.security.TenantScope;
import io.plugboard.tenant.PasswordSignInPolicy;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A tenant that requires single sign-on takes no password but its break-glass admin's. */
@Component
class SsoPasswordPolicy implements PasswordSignInPolicy {

    private final TenantSsoStore store;

    SsoPasswordPolicy(TenantSsoStore store) {
        this.store = store;
    }

    @Override
    public boolean passwordRefused(UUID tenantId, UUID userId) {
        return TenantScope.tenant(tenantId, () -> store.find(tenantId)
                .filter(TenantSsoStore.Row::required)
                .isPresent() && !userId.equals(store.breakGlass(tenantId)));
    }
}
