package io.plugboard.sso;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.security.AppRoles;
import io.plugboard.security.SingleSignOnRoutes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Platform staff through the operator's provider ({@code plugboard.sso.platform.*}): the sign-in page sends the platform's
 * domains there, new staff are created with the platform role of their claim, a claim that
 * names no platform role and a tenant's user are refused.
 */
@PlugboardTest
class SsoPlatformSignInIT {

    private static final SsoFixture IDP = new SsoFixture();
    private static final String ISSUER = "operator";
    private static final String DOMAIN = "staff.plugboard.example";

    @DynamicPropertySource
    static void platformProvider(DynamicPropertyRegistry registry) {
        registry.add("plugboard.sso.platform.issuer", () -> IDP.issuer(ISSUER));
        registry.add("plugboard.sso.platform.client-id", () -> SsoFixture.CLIENT_ID);
        registry.add("plugboard.sso.platform.client-secret", () -> SsoFixture.CLIENT_SECRET);
        registry.add("plugboard.sso.platform.allowed-domains", () -> DOMAIN);
        registry.add("plugboard.sso.platform.role-claim", () -> "groups");
        registry.add("plugboard.sso.platform.platform-admin-values", () -> "pb-operators");
        registry.add("plugboard.sso.platform.support-values", () -> "pb-success");
    }

    @AfterAll
    static void stop() {
        IDP.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SingleSignOnRoutes routes;

    @Test
    void theSignInPageSendsStaffAndThePlatformDomainToTheOperatorsProvider() {
        assertThat(routes.signInPath("New.Person@" + DOMAIN)).hasValueSatisfying(path ->
                assertThat(path).startsWith("oauth2/authorization/platform?login_hint=new.person%40" + DOMAIN));
        // By the domain alone, never by whether the e-mail is a user: existing staff outside the platform's
        // domains answer exactly like an unknown address (the password), so the page enumerates nobody.
        assertThat(routes.signInPath("support@plugboard.local")).isEmpty();
        assertThat(routes.signInPath("nobody-at-all@plugboard.local")).isEmpty();
        assertThat(routes.signInPath("admin@demo.local")).isEmpty();
    }

    @Test
    void newStaffAreCreatedWithThePlatformRoleOfTheirClaim() throws Exception {
        String email = "casey@" + DOMAIN;
        IDP.nextSignIn(ISSUER, email, "Casey Success", Map.of("groups", List.of("pb-success")));
        var browser = new SsoHttpBrowser(port);
        assertThat(SsoHttpBrowser.here(browser.finish(browser.startSignIn("platform", email)), port)).isEqualTo("/");
        var user = jdbc.queryForMap("SELECT role, tenant_id FROM portal_users WHERE email = ?", email);
        assertThat(user.get("role")).isEqualTo(AppRoles.SUPPORT);
        assertThat(user.get("tenant_id")).isNull();

        IDP.nextSignIn(ISSUER, email, "Casey Success", Map.of("groups", List.of("pb-operators")));
        var again = new SsoHttpBrowser(port);
        assertThat(SsoHttpBrowser.here(again.finish(again.startSignIn("platform", email)), port)).isEqualTo("/");
        assertThat(jdbc.queryForObject("SELECT role FROM portal_users WHERE email = ?", String.class, email))
                .isEqualTo(AppRoles.PLATFORM_ADMIN);
    }

    @Test
    void aClaimWithoutAPlatformRoleAndATenantsUserAreRefused() throws Exception {
        String email = "intern@" + DOMAIN;
        IDP.nextSignIn(ISSUER, email, "Intern", Map.of("groups", List.of("pb-interns")));
        var browser = new SsoHttpBrowser(port);
        assertThat(SsoHttpBrowser.here(browser.finish(browser.startSignIn("platform", email)), port))
                .isEqualTo("/login?error");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = ?", email)).isEmpty();

        // The operator's provider vouches for a tenant's admin whose address happens to be in the staff domain.
        String tenantUser = "tenant-admin@" + DOMAIN;
        jdbc.update("""
                INSERT INTO portal_users (id, tenant_id, email, display_name, role, password_hash, enabled, created_at,
                                          updated_at)
                SELECT gen_random_uuid(), tenant_id, ?, 'Tenant admin', 'TENANT_ADMIN', password_hash, true, now(), now()
                FROM portal_users WHERE email = 'admin@demo.local'""", tenantUser);
        IDP.nextSignIn(ISSUER, tenantUser, "Tenant admin", Map.of("groups", List.of("pb-operators")));
        var other = new SsoHttpBrowser(port);
        assertThat(SsoHttpBrowser.here(other.finish(other.startSignIn("platform", tenantUser)), port))
                .isEqualTo("/login?error");
        assertThat(jdbc.queryForObject("SELECT role FROM portal_users WHERE email = ?", String.class, tenantUser))
                .isEqualTo(AppRoles.TENANT_ADMIN);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE actor_label = ? "
                + "AND action = 'user.signin.failed' ORDER BY seq DESC LIMIT 1", String.class, tenantUser))
                .contains("other_tenant");
    }
}
