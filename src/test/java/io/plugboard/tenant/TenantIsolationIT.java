package io.plugboard.tenant;

import io.plugboard.common.NotFoundException;
import io.plugboard.common.InvalidRequestException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditLog;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

@PlugboardTest
class TenantIsolationIT {

    private static final String PASSWORD = "correct-horse-battery";

    @Autowired
    TenantProvisioning provisioning;
    @Autowired
    TenantService tenants;
    @Autowired
    UserService users;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;

    private CreatedTenant tenantA;
    private CreatedTenant tenantB;
    private String adminA;
    private UUID userOfB;

    @BeforeEach
    void twoTenants() {
        String a = "a" + UUID.randomUUID().toString().substring(0, 8);
        String b = "b" + UUID.randomUUID().toString().substring(0, 8);
        adminA = "admin@" + a + ".example";
        tenantA = provisioning.createTenant(AuditActor.SYSTEM, new NewTenant(a, "Tenant A", adminA, "A", PASSWORD), null, null);
        tenantB = provisioning.createTenant(AuditActor.SYSTEM,
                new NewTenant(b, "Tenant B", "admin@" + b + ".example", "B", PASSWORD), null, null);
        userOfB = provisioning.createUser(AuditActor.SYSTEM, UserScope.tenant(tenantB.tenant().id()),
                new NewUser("auditor@" + b + ".example", "B auditor", AppRoles.AUDITOR, PASSWORD)).user().id();
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void anotherTenantsUserIsNotFoundWhicheverWayItIsNamed() {
        SignedIn.as(jdbc, adminA);
        UserScope own = UserScope.tenant(tenantA.tenant().id());
        UserScope foreign = UserScope.tenant(tenantB.tenant().id());
        assertThatThrownBy(() -> users.setEnabled(own, userOfB, false)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.resetPassword(own, userOfB, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.update(own, userOfB, "Renamed", AppRoles.TENANT_ADMIN))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.setEnabled(foreign, userOfB, false)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.list(foreign, "", Pageable.ofSize(10))).isInstanceOf(NotFoundException.class);
        assertThat(users.list(own, "", Pageable.ofSize(50))).extracting(UserRow::id).doesNotContain(userOfB);
        assertThat(TenantScope.platform("test: the row as it is", () -> jdbc.queryForObject(
                "SELECT enabled FROM portal_users WHERE id = ?", Boolean.class, userOfB))).isTrue();
    }

    @Test
    void anotherTenantsSettingsAndAuditEventsAreOutOfReach() {
        SignedIn.as(jdbc, adminA);
        UUID b = tenantB.tenant().id();
        assertThatThrownBy(() -> tenants.apiCredentials(b)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tenants.rotateClientSecret(b)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tenants.get(b)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> audit.find(AuditFilter.forTenant(b), Pageable.ofSize(10)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> audit.find(AuditFilter.forTenant(null), Pageable.ofSize(10)))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(audit.find(AuditFilter.forTenant(tenantA.tenant().id()), Pageable.ofSize(100)))
                .isNotEmpty().allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(tenantA.tenant().id()));
    }

    @Test
    void anAuditorCannotChangeAnything() {
        SignedIn.as(jdbc, "auditor@demo.local");
        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        UserScope scope = UserScope.tenant(demo);
        assertThat(users.list(scope, "", Pageable.ofSize(10))).isNotEmpty();
        assertThatThrownBy(() -> users.create(scope, new NewUser("x-" + UUID.randomUUID() + "@demo.local", "X",
                AppRoles.AUDITOR, null))).isInstanceOf(AccessDeniedException.class);
        UUID admin = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = 'admin@demo.local'", UUID.class);
        assertThatThrownBy(() -> users.setEnabled(scope, admin, false)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> users.resetPassword(scope, admin, null)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tenants.rotateClientSecret(demo)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tenants.apiCredentials(demo)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void supportSeesNoTenantBeforeSwitchingWithAReason() {
        SignedIn.as(jdbc, "support@plugboard.local");
        UUID b = tenantB.tenant().id();
        assertThatThrownBy(() -> audit.find(AuditFilter.forTenant(b), Pageable.ofSize(10)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> audit.find(AuditFilter.forTenant(null), Pageable.ofSize(10)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> users.list(UserScope.tenant(b), "", Pageable.ofSize(10)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tenants.get(b)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tenants.create(new NewTenant("x", "X", "x@x.example", "X", null)))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void platformAdminsManageTenantsButNotTenantSecrets() {
        SignedIn.as(jdbc, "platform@plugboard.local");
        assertThatThrownBy(() -> tenants.apiCredentials(tenantB.tenant().id())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tenants.rotateClientSecret(tenantB.tenant().id()))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> users.setEnabled(UserScope.tenant(tenantB.tenant().id()), userOfB, false))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(tenants.suspend(tenantB.tenant().id()).active()).isFalse();
        assertThat(tenants.reactivate(tenantB.tenant().id()).active()).isTrue();
    }

    @Test
    void tenantAdminsCannotLockThemselvesOut() {
        var principal = SignedIn.as(jdbc, adminA);
        UserScope own = UserScope.tenant(tenantA.tenant().id());
        assertThatThrownBy(() -> users.setEnabled(own, principal.userId(), false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("your own account");
        assertThatThrownBy(() -> users.update(own, principal.userId(), "A", AppRoles.AUDITOR))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void badInputGetsAMessageThePersonCanActOn() {
        SignedIn.as(jdbc, adminA);
        UserScope own = UserScope.tenant(tenantA.tenant().id());
        assertThatThrownBy(() -> users.create(own, new NewUser("not-an-email", "X", AppRoles.AUDITOR, null)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("Enter a valid e-mail address.");
        assertThatThrownBy(() -> users.create(own, new NewUser("ok-" + UUID.randomUUID() + "@a.example", "X",
                AppRoles.AUDITOR, "short"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at least 12 characters");
        assertThatThrownBy(() -> users.create(own, new NewUser(adminA, "X", AppRoles.AUDITOR, null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> users.create(own, new NewUser("ok-" + UUID.randomUUID() + "@a.example", "X",
                AppRoles.PLATFORM_ADMIN, null))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Choose one of the roles");
    }
}
