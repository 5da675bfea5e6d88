package io.plugboard.sso;

import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;

/**
 * A real OpenID Connect provider for the single sign-on tests (mock-oauth2-server on http://localhost) and a
 * tenant's configuration written as the service stores it. The provider answers every authorization request at
 * once; who signs in is what {@link #nextSignIn} queued.
 */
public final class SsoFixture implements AutoCloseable {

    public static final String CLIENT_ID = "plugboard-portal";
    public static final String CLIENT_SECRET = "sso-client-secret-never-shown-7f3a";

    private final MockOAuth2Server server = new MockOAuth2Server();

    public SsoFixture() {
        server.start();
    }

    public String issuer(String issuerId) {
        String url = server.issuerUrl(issuerId).toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public MockOAuth2Server server() {
        return server;
    }

    /** Who the provider says signs in next at {@code issuerId}. */
    public void nextSignIn(String issuerId, String email, String name, Map<String, Object> moreClaims) {
        var claims = new java.util.HashMap<String, Object>(moreClaims);
        claims.put("email", email);
        claims.put("name", name);
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, "sub-" + email, "JWT", List.of(CLIENT_ID),
                claims, 3600));
    }

    /** Configures the tenant's provider as {@link SingleSignOn#update} stores it, without a signed-in admin. */
    public void configure(ApplicationContext context, UUID tenantId, String issuerId, List<String> domains,
                          @Nullable String roleClaim, List<String> adminValues, List<String> auditorValues,
                          @Nullable String defaultRole, boolean required) {
        byte[] sealed = context.getBean(SecretVault.class).seal(SingleSignOn.binding(tenantId), CLIENT_SECRET);
        TenantScope.platform("test: the tenant's admin configured single sign-on", () ->
                context.getBean(TenantSsoStore.class).save(new TenantSsoStore.Row(tenantId, issuer(issuerId), CLIENT_ID,
                        sealed, domains, roleClaim, adminValues, auditorValues, defaultRole, required, Instant.now())));
    }

    /** Names the break-glass admin as the platform admin would. */
    public static void breakGlass(ApplicationContext context, UUID tenantId, @Nullable UUID userId) {
        // The same column TenantService.nameBreakGlassAdmin writes, without a signed-in platform admin.
        context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .update("UPDATE tenants SET sso_break_glass_user_id = ? WHERE id = ?", userId, tenantId);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
