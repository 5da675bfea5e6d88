package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.audit.AuditActor;
import io.plugboard.security.AppRoles;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

@PlugboardTest
class SignInIT {

    private static final String PASSWORD = "correct-horse-battery";

    @Autowired
    PortalAuthenticationProvider provider;
    @Autowired
    TenantProvisioning provisioning;
    @Autowired
    TenantService tenantService;
    @Autowired
    UserService userService;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SignInStatus signInStatus;

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void correctPasswordSignsInWithTheUsersRoleAndTenant() {
        String email = newTenantAdmin();
        Authentication result = provider.authenticate(attempt(email, PASSWORD, "10.0.0.1"));
        assertThat(result.getPrincipal()).isInstanceOfSatisfying(PortalPrincipal.class, p -> {
            assertThat(p.email()).isEqualTo(email);
            assertThat(p.role()).isEqualTo(AppRoles.TENANT_ADMIN);
            assertThat(p.tenantId()).isNotNull();
        });
        assertThat(result.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_TENANT_ADMIN");
        assertThat(lastAction(email)).isEqualTo("user.signin.succeeded");
    }

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPassword() {
        String email = newTenantAdmin();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> provider.authenticate(attempt(email, "wrong-password", "10.0.0.2")))
                    .isInstanceOf(BadCredentialsException.class).hasMessage(PortalAuthenticationProvider.INVALID);
        }
        assertThatThrownBy(() -> provider.authenticate(attempt(email, "wrong-password", "10.0.0.2")))
                .isInstanceOf(LockedException.class).hasMessage(PortalAuthenticationProvider.LOCKED);
        assertThatThrownBy(() -> provider.authenticate(attempt(email, PASSWORD, "10.0.0.2")))
                .isInstanceOf(LockedException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.signin.lockout' "
                + "AND target_id = ?", Long.class, email)).isEqualTo(1);
    }

    @Test
    void unknownEmailsAnswerAndLockExactlyLikeRealOnes() {
        String unknown = "nobody-" + UUID.randomUUID() + "@example.com";
        String real = newTenantAdmin();
        Throwable forUnknown = catchFailure(unknown, "whatever-password");
        Throwable forReal = catchFailure(real, "wrong-password");
        assertThat(forUnknown).isInstanceOf(forReal.getClass()).hasMessage(forReal.getMessage());
        for (int i = 0; i < 4; i++) {
            catchFailure(unknown, "whatever-password");
        }
        assertThat(catchFailure(unknown, "whatever-password")).isInstanceOf(LockedException.class);
    }

    @Test
    void disabledUsersAndSuspendedTenantsGetTheSameInvalidCredentialsAnswer() {
        String disabled = newTenantAdmin();
        String other = newTenantAdmin();
        UUID disabledTenant = jdbc.queryForObject("SELECT tenant_id FROM portal_users WHERE email = ?", UUID.class, disabled);
        UUID disabledUser = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, disabled);
        String colleague = "colleague-" + UUID.randomUUID() + "@example.com";
        provisioning.createUser(AuditActor.SYSTEM, UserScope.tenant(disabledTenant),
                new NewUser(colleague, "Colleague", AppRoles.TENANT_ADMIN, PASSWORD));
        SignedIn.as(jdbc, colleague);
        userService.setEnabled(UserScope.tenant(disabledTenant), disabledUser, false);

        UUID otherTenant = TenantScope.platform("test: another tenant's user", () -> jdbc.queryForObject(
                "SELECT tenant_id FROM portal_users WHERE email = ?", UUID.class, other));
        SignedIn.as(jdbc, "platform@plugboard.local");
        tenantService.suspend(otherTenant);
        SignedIn.out();

        assertThat(signInStatus.stillAllowed(principalOf(disabled))).as("open sessions end too").isFalse();
        assertThat(signInStatus.stillAllowed(principalOf(other))).isFalse();
        assertThat(signInStatus.stillAllowed(principalOf(colleague))).isTrue();
        assertThat(catchFailure(disabled, PASSWORD)).isInstanceOf(BadCredentialsException.class)
                .hasMessage(PortalAuthenticationProvider.INVALID);
        assertThat(catchFailure(other, PASSWORD)).isInstanceOf(BadCredentialsException.class)
                .hasMessage(PortalAuthenticationProvider.INVALID);
        assertThat(jdbc.queryForList("SELECT details FROM audit_events WHERE action = 'user.signin.failed' "
                + "AND actor_label = ? ORDER BY seq DESC LIMIT 1", String.class, other))
                .singleElement().asString().contains("tenant_suspended");
    }

    @Test
    void oneAddressSprayingManyAccountsIsThrottled() {
        String ip = "10.66.0." + (int) (Math.random() * 250);
        for (int i = 0; i < 50; i++) {
            catchFailure("spray-" + UUID.randomUUID() + "@example.com", "password-guess", ip);
        }
        String email = newTenantAdmin();
        assertThatThrownBy(() -> provider.authenticate(attempt(email, PASSWORD, ip)))
                .isInstanceOf(LockedException.class).hasMessage(PortalAuthenticationProvider.THROTTLED);
        assertThat(provider.authenticate(attempt(email, PASSWORD, "10.0.0.9")).isAuthenticated()).isTrue();
    }

    @Test
    void servicesThatChangeDataRereadTheActorInsideTheirTransaction() {
        String admin = newTenantAdmin();
        UUID tenantId = jdbc.queryForObject("SELECT tenant_id FROM portal_users WHERE email = ?", UUID.class, admin);
        SignedIn.as(jdbc, admin);
        // Disabled by another instance a moment ago: this session still holds its principal.
        jdbc.update("UPDATE portal_users SET enabled = false WHERE email = ?", admin);
        var rotatedBefore = jdbc.queryForObject("SELECT secret_rotated_at FROM tenants WHERE id = ?",
                java.sql.Timestamp.class, tenantId);

        assertThatThrownBy(() -> tenantService.rotateClientSecret(tenantId))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class)
                .hasMessageContaining("disabled");
        assertThatThrownBy(() -> userService.create(UserScope.tenant(tenantId),
                new NewUser("new-" + UUID.randomUUID() + "@example.com", "New", AppRoles.TENANT_ADMIN, PASSWORD)))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        assertThat(jdbc.queryForObject("SELECT secret_rotated_at FROM tenants WHERE id = ?", java.sql.Timestamp.class,
                tenantId)).isEqualTo(rotatedBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_users WHERE tenant_id = ?", Long.class, tenantId))
                .isEqualTo(1);

        SignedIn.as(jdbc, "platform@plugboard.local");
        jdbc.update("UPDATE portal_users SET role = 'AUDITOR' WHERE email = 'platform@plugboard.local'");
        try {
            assertThatThrownBy(() -> tenantService.suspend(tenantId))
                    .isInstanceOf(org.springframework.security.access.AccessDeniedException.class)
                    .hasMessageContaining("role");
        } finally {
            jdbc.update("UPDATE portal_users SET role = 'PLATFORM_ADMIN' WHERE email = 'platform@plugboard.local'");
        }
        assertThat(tenantService.activeState(tenantId)).contains(true);
    }

    private PortalPrincipal principalOf(String email) {
        PortalPrincipal principal = SignedIn.as(jdbc, email);
        SignedIn.out();
        return principal;
    }

    private String newTenantAdmin() {
        String slug = "t" + UUID.randomUUID().toString().substring(0, 8);
        String email = "admin-" + slug + "@example.com";
        provisioning.createTenant(AuditActor.SYSTEM, new NewTenant(slug, "Tenant " + slug, email, "Admin", PASSWORD),
                null, null);
        return email;
    }

    private Throwable catchFailure(String email, String password) {
        return catchFailure(email, password, "10.0.0.3");
    }

    private Throwable catchFailure(String email, String password, String ip) {
        try {
            provider.authenticate(attempt(email, password, ip));
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("sign-in unexpectedly succeeded for " + email);
    }

    private String lastAction(String email) {
        return jdbc.queryForObject("SELECT action FROM audit_events WHERE actor_label = ? ORDER BY seq DESC LIMIT 1",
                String.class, email);
    }

    private static UsernamePasswordAuthenticationToken attempt(String email, String password, String ip) {
        var token = UsernamePasswordAuthenticationToken.unauthenticated(email, password);
        token.setDetails(new WebAuthenticationDetails(ip, null));
        return token;
    }
}
