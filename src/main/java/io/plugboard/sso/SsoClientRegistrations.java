package io.plugboard.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;

/**
 * The identity providers Spring Security's OAuth 2.0 login may use, read from the database: {@code t-<tenant id>}
 * for a tenant's, {@value #PLATFORM} for the operator's. A provider's discovery document is read once per
 * configuration (its {@code updated_at}) and kept for a while, so a sign-in does not fetch it on every redirect.
 */
@Component
class SsoClientRegistrations implements ClientRegistrationRepository {

    static final String PLATFORM = "platform";
    static final String TENANT_PREFIX = "t-";
    private static final Logger log = LoggerFactory.getLogger(SsoClientRegistrations.class);

    private final TenantSsoStore store;
    private final Issuers issuers;
    private final SecretVault vault;
    private final SsoProperties properties;
    private final Cache<String, Built> built = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(15)).maximumSize(10_000).build();

    private record Built(@Nullable Instant version, ClientRegistration registration) {
    }

    SsoClientRegistrations(TenantSsoStore store, Issuers issuers, SecretVault vault, SsoProperties properties) {
        this.store = store;
        this.issuers = issuers;
        this.vault = vault;
        this.properties = properties;
    }

    static String idOf(UUID tenantId) {
        return TENANT_PREFIX + tenantId;
    }

    /** The tenant a registration id names; empty for the platform's or a malformed one. */
    static Optional<UUID> tenantOf(String registrationId) {
        if (!registrationId.startsWith(TENANT_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(registrationId.substring(TENANT_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
        try {
            if (registrationId.equals(PLATFORM)) {
                return platform();
            }
            return tenantOf(registrationId).map(this::tenant).orElse(null);
        } catch (RuntimeException e) {
            // An unreachable provider: the sign-in answers as for an unknown one rather than with an error page.
            log.warn("Single sign-on provider {} unavailable: {}", registrationId, e.getMessage());
            return null;
        }
    }

    void forget(UUID tenantId) {
        built.invalidate(idOf(tenantId));
    }

    private @Nullable ClientRegistration tenant(UUID tenantId) {
        Optional<TenantSsoStore.Row> row = TenantScope.tenant(tenantId, () -> store.find(tenantId));
        if (row.isEmpty()) {
            return null;
        }
        String id = idOf(tenantId);
        Built cached = built.getIfPresent(id);
        if (cached != null && row.get().updatedAt().equals(cached.version())) {
            return cached.registration();
        }
        ClientRegistration registration = build(id, row.get().issuer(), row.get().clientId(),
                vault.open(SingleSignOn.binding(tenantId), row.get().clientSecret()));
        built.put(id, new Built(row.get().updatedAt(), registration));
        return registration;
    }

    private @Nullable ClientRegistration platform() {
        SsoProperties.Platform platform = properties.platformOrNone();
        if (!platform.configured()) {
            return null;
        }
        Built cached = built.getIfPresent(PLATFORM);
        if (cached != null) {
            return cached.registration();
        }
        ClientRegistration registration = build(PLATFORM, platform.issuer(),
                platform.clientId() == null ? "" : platform.clientId(),
                platform.clientSecret() == null ? "" : platform.clientSecret());
        built.put(PLATFORM, new Built(null, registration));
        return registration;
    }

    private ClientRegistration build(String id, @Nullable String issuer, String clientId, String secret) {
        return issuers.discover(issuer == null ? "" : issuer)
                .registrationId(id)
                .clientId(clientId)
                .clientSecret(secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope("openid", "email", "profile")
                .userNameAttributeName("sub")
                .build();
    }
}
