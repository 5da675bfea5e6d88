package io.plugboard.tenant;

import java.util.Optional;
import java.util.UUID;

/**
 * Which tenant's identity provider an e-mail's domain signs in through, if any. The sign-in page sends every e-mail
 * of such a domain to that provider, so a user of another organisation must not be created there.
 */
public interface SignInDomains {

    Optional<UUID> ssoTenantOf(String email);
}
