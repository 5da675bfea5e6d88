package io.plugboard.sso;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's identity provider as an admin writes it. {@code clientSecret} is write-only: missing or blank keeps the
 * stored one (required the first time).
 *
 * @param allowedDomains e-mail domains whose users sign in through this provider (and only those)
 * @param roleClaim      the claim that names the role; blank: everyone gets {@code defaultRole}
 * @param adminValues    values of {@code roleClaim} that make a tenant admin (a list claim matches on any element)
 * @param auditorValues  values that make an auditor; tenant admin wins when both match
 * @param defaultRole    TENANT_ADMIN, AUDITOR, or blank: a person whose claim matches nothing is refused
 * @param required       password sign-in refused for the tenant's users, except the break-glass admin
 */
public record SsoSettings(@Nullable String issuer, @Nullable String clientId, @Nullable String clientSecret,
                          @Nullable List<String> allowedDomains, @Nullable String roleClaim,
                          @Nullable List<String> adminValues, @Nullable List<String> auditorValues,
                          @Nullable String defaultRole, @Nullable Boolean required) {
}
