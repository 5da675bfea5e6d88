package io.plugboard.sso;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's identity provider as it is read back: the client secret only as whether one is stored.
 *
 * @param redirectUri     where the provider sends the browser back: register it with the provider
 * @param breakGlassAdmin the e-mail of the tenant admin who may still use a password while SSO is required, named
 *                        by a platform admin; null when none is
 */
public record SsoConfiguration(String redirectUri, String issuer, String clientId, boolean clientSecretSet, List<String> allowedDomains,
                               @Nullable String roleClaim, List<String> adminValues, List<String> auditorValues,
                               @Nullable String defaultRole, boolean required, @Nullable String breakGlassAdmin,
                               Instant updatedAt) {
}
