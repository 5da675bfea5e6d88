package io.plugboard.sso;

import io.plugboard.security.TenantScope;
import io.plugboard.tenant.SignInDomains;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The tenant whose provider takes an e-mail's domain, read across tenants as the sign-in page reads it. */
@Component
class SsoSignInDomains implements SignInDomains {

    private final TenantSsoStore store;

    SsoSignInDomains(TenantSsoStore store) {
        this.store = store;
    }

    @Override
    public Optional<UUID> ssoTenantOf(String email) {
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        List<UUID> tenants = TenantScope.platform("an e-mail domain signs in through one tenant's provider only",
                () -> store.tenantsOfDomain(domain));
        return tenants.stream().findFirst();
    }
}
