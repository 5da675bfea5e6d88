package io.plugboard.sso;

import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.SingleSignOnRoutes;
import io.plugboard.security.TenantScope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Home-realm discovery for the sign-in page, by the e-mail's domain alone: the operator's provider for the platform's
 * domains, else the tenant's provider whose allowed domains include it, else the password. Whether the e-mail is a
 * user is never looked at, so the page's answer tells nobody which addresses have accounts (a provider admits only
 * its allowed domains anyway).
 */
@Component
class SsoSignInRoutes implements SingleSignOnRoutes {

    private final TenantSsoStore store;
    private final SsoProperties properties;
    private final SsoClientRegistrations registrations;

    SsoSignInRoutes(TenantSsoStore store, SsoProperties properties, SsoClientRegistrations registrations) {
        this.store = store;
        this.registrations = registrations;
        this.properties = properties;
    }

    @Override
    public Optional<String> signInPath(String typed) {
        String email = typed.strip().toLowerCase(Locale.ROOT);
        int at = email.lastIndexOf('@');
        if (at < 1 || at == email.length() - 1 || email.length() > 254) {
            return Optional.empty();
        }
        String domain = email.substring(at + 1);
        Optional<String> registration = TenantScope.platform("the sign-in page finds an e-mail's provider before "
                + "anyone is signed in", () -> registration(domain));
        if (registration.isPresent() && registrations.findByRegistrationId(registration.get()) == null) {
            // Its discovery document cannot be read now: say so here rather than fail at the redirect.
            throw new SignInRefusedException("Your organisation's identity provider cannot be reached right now. "
                    + "Try again in a few minutes.");
        }
        return registration.map(id -> "oauth2/authorization/" + id + "?login_hint="
                + URLEncoder.encode(email, StandardCharsets.UTF_8));
    }

    private Optional<String> registration(String domain) {
        SsoProperties.Platform platform = properties.platformOrNone();
        if (platform.configured() && platform.domains().contains(domain)) {
            return Optional.of(SsoClientRegistrations.PLATFORM);
        }
        List<UUID> tenants = store.tenantsOfDomain(domain);
        return tenants.size() == 1 ? Optional.of(SsoClientRegistrations.idOf(tenants.getFirst())) : Optional.empty();
    }
}
