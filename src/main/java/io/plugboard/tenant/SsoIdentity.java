package io.plugboard.tenant;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person an identity provider vouched for, as single sign-on maps them onto Plugboard.
 *
 * @param tenantId the tenant whose provider it was; null for the operator's provider of platform staff
 * @param email    the verified e-mail of the ID token, lower case; it is what identifies the portal user
 * @param role     the role the provider's claims give now (also on every later sign-in)
 * @param provider the provider's issuer, for the audit trail
 */
public record SsoIdentity(@Nullable UUID tenantId, String email, String displayName, String role, String provider) {
}
