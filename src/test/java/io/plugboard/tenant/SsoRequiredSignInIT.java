package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.plugboard.PlugboardTest;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.sso.SsoFixture;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * A tenant that requires single sign-on refuses its users' passwords, with a message that says why only once the
 * password was right (a wrong one still reads "invalid credentials"), and without counting towards a lock; the
 * break-glass admin a platform admin named still signs in with a password.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoRequiredSignInIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    PortalAuthenticationProvider provider;
    @Autowired
    JdbcTemplate jdbc;

    private SsoFixture idp;

    @BeforeAll
    void setUp() {
        idp = new SsoFixture();
    }

    @AfterAll
    void tearDown() {
        idp.close();
    }

    @Test
    void passwordsAreRefusedButTheBreakGlassAdmins() {
        TestTenants.TestTenant tenant = TestTenants.create(context, "sso-required");
        idp.configure(context, tenant.id(), "required", List.of(tenant.slug() + ".example"), null, List.of(),
                List.of(), "AUDITOR", true);

        Throwable refused = catchThrowable(() -> provider.authenticate(attempt(tenant.adminEmail(),
                TestTenants.ADMIN_PASSWORD)));
        assertThat(refused).isInstanceOf(SignInRefusedException.class).hasMessageContaining("single sign-on");
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE actor_label = ? "
                + "AND action = 'user.signin.failed' ORDER BY seq DESC LIMIT 1", String.class, tenant.adminEmail()))
                .contains("sso_required");
        // A wrong password learns nothing about single sign-on.
        Throwable wrong = catchThrowable(() -> provider.authenticate(attempt(tenant.adminEmail(), "not-it-at-all")));
        assertThat(wrong).isNotInstanceOf(SignInRefusedException.class).hasMessage(PortalAuthenticationProvider.INVALID);
        for (int i = 0; i < 6; i++) {
            // Right passwords refused for single sign-on do not lock the account.
            assertThat(catchThrowable(() -> provider.authenticate(attempt(tenant.adminEmail(),
                    TestTenants.ADMIN_PASSWORD)))).isInstanceOf(SignInRefusedException.class);
        }

        UUID admin = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class,
                tenant.adminEmail());
        SsoFixture.breakGlass(context, tenant.id(), admin);
        var signedIn = provider.authenticate(attempt(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD));
        assertThat(signedIn.getPrincipal()).isInstanceOfSatisfying(PortalPrincipal.class,
                p -> assertThat(p.userId()).isEqualTo(admin));
    }

    @Test
    void withoutRequiredPasswordsStillWork() {
        TestTenants.TestTenant tenant = TestTenants.create(context, "sso-optional");
        idp.configure(context, tenant.id(), "optional", List.of(tenant.slug() + ".example"), null, List.of(),
                List.of(), "AUDITOR", false);
        assertThat(provider.authenticate(attempt(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD)).isAuthenticated())
                .isTrue();
    }

    private static UsernamePasswordAuthenticationToken attempt(String email, String password) {
        var token = UsernamePasswordAuthenticationToken.unauthenticated(email, password);
        token.setDetails(new WebAuthenticationDetails("10.9.8.7", null));
        return token;
    }
}
