package io.plugboard.sso;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Single sign-on settings of the operator (docs/configuration.md).
 *
 * @param allowHttpLoopback accept an {@code http://} issuer on a loopback address (localhost, 127.0.0.0/8, ::1):
 *                          for a development identity provider on the same machine; never on in production
 * @param platform          the identity provider of platform staff; none when its issuer is blank
 */
@ConfigurationProperties("plugboard.sso")
public record SsoProperties(boolean allowHttpLoopback, @Nullable Platform platform) {

    /**
     * @param roleClaim           the ID token (or user info) claim whose value, or one of whose values, names the role
     * @param platformAdminValues claim values that make a platform admin
     * @param supportValues       claim values that make customer success
     * @param auditorValues       claim values that make a platform-wide auditor
     */
    public record Platform(@Nullable String issuer, @Nullable String clientId, @Nullable String clientSecret,
                           @Nullable List<String> allowedDomains, @Nullable String roleClaim,
                           @Nullable List<String> platformAdminValues, @Nullable List<String> supportValues,
                           @Nullable List<String> auditorValues) {

        boolean configured() {
            return issuer != null && !issuer.isBlank();
        }

        List<String> domains() {
            return allowedDomains == null ? List.of() : allowedDomains.stream()
                    .map(d -> d.strip().toLowerCase(java.util.Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
        }
    }

    Platform platformOrNone() {
        return platform == null ? new Platform(null, null, null, null, null, null, null, null) : platform;
    }
}
