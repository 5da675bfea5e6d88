package io.plugboard.sandbox;

import io.plugboard.connector.IntegrationService;
import io.plugboard.tenant.ConditionalOnDemoMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * The sandbox's registered OAuth clients: one, Plugboard's demo tenant. Its secret lives only in the
 * demo tenant's sealed integration; on first use after a start the registration is built from it and
 * then kept in memory as a bcrypt hash, as a provider would keep it. Changing the secret in the portal
 * therefore needs a restart before the sandbox accepts it — like telling a real provider.
 */
@Component
@ConditionalOnDemoMode
class SandboxClients implements RegisteredClientRepository {

    private final Map<String, RegisteredClient> registered = new ConcurrentHashMap<>();
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final SandboxConnector connector;
    private final String redirectUri;

    SandboxClients(SandboxConnector connector, IntegrationService integrations) {
        this.connector = connector;
        this.redirectUri = integrations.redirectUri();
    }

    @Override
    public void save(RegisteredClient client) {
        registered.put(client.getClientId(), client);
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        if (!SandboxConnector.CLIENT_ID.equals(clientId)) {
            return null;
        }
        RegisteredClient known = registered.get(clientId);
        if (known != null) {
            return known;
        }
        return connector.clientSecret().map(secret -> registered.computeIfAbsent(clientId, id -> demoClient(secret)))
                .orElse(null);
    }

    private RegisteredClient demoClient(String secret) {
        return RegisteredClient.withId(SandboxConnector.CLIENT_ID)
                .clientId(SandboxConnector.CLIENT_ID)
                .clientName(connector.clientName())
                .clientSecret(encoder.encode(secret))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .redirectUri(redirectUri)
                .scopes(scopes -> scopes.addAll(SandboxConnector.SCOPES))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(30))
                        .refreshTokenTimeToLive(Duration.ofDays(30)).build())
                .build();
    }
}
