package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlatformScopeForTests;
import io.plugboard.PlugboardTest;
import io.plugboard.security.TenantScope;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Row-level security through the application's own pool: queries that forget their {@code WHERE tenant_id} still
 * see only the scope's tenant; no scope sees and writes nothing; the platform scope sees every tenant.
 */
@PlugboardTest
@PlatformScopeForTests.WithoutPlatformFallback
class RowLevelSecurityIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationContext context;

    private final UUID tenantA = UUID.randomUUID();
    private final UUID tenantB = UUID.randomUUID();
    private final String marker = "rls-" + UUID.randomUUID();

    @BeforeEach
    void twoTenantsWithAnEndUserEach() {
        var superuser = DatabaseSuperuser.of(context);
        for (UUID tenant : List.of(tenantA, tenantB)) {
            superuser.update("""
                    INSERT INTO tenants (id, slug, name, status, client_id, client_secret, created_at, secret_rotated_at)
                    VALUES (?, ?, 'RLS test', 'ACTIVE', ?, '\\x00', now(), now())""",
                    tenant, "rls-" + tenant, "pbc_" + tenant);
            superuser.update("INSERT INTO end_users (id, tenant_id, external_id, created_at) VALUES (?, ?, ?, now())",
                    UUID.randomUUID(), tenant, marker);
        }
    }

    /** The test's end users, by a query that does not say whose. */
    private List<UUID> endUsersWithoutTenantFilter() {
        return jdbc.queryForList("SELECT tenant_id FROM end_users WHERE external_id = ?", UUID.class, marker);
    }

    private List<UUID> seenBy(UUID tenant) {
        return TenantScope.tenant(tenant, this::endUsersWithoutTenantFilter);
    }

    private List<UUID> seenByPlatform() {
        return TenantScope.platform("test: every tenant's end users", this::endUsersWithoutTenantFilter);
    }

    @Test
    void aQueryWithoutItsTenantFilterSeesOnlyTheScopesTenant() {
        assertThat(seenBy(tenantA)).containsExactly(tenantA);
        assertThat(seenBy(tenantB)).containsExactly(tenantB);
        // The same inside a transaction (one connection for all its statements).
        List<UUID> inTransaction = TenantScope.tenant(tenantA,
                () -> transactions.execute(status -> endUsersWithoutTenantFilter()));
        assertThat(inTransaction).containsExactly(tenantA);
    }

    @Test
    void withoutAScopeNothingIsSeenAndNothingCanBeWritten() {
        assertThat(TenantScope.bound()).isEmpty();
        assertThat(endUsersWithoutTenantFilter()).isEmpty();
        List<UUID> inTransaction = transactions.execute(status -> endUsersWithoutTenantFilter());
        assertThat(inTransaction).isEmpty();
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO end_users (id, tenant_id, external_id, created_at) VALUES (?, ?, ?, now())",
                UUID.randomUUID(), tenantA, marker + "-no-scope"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("row-level security");
        assertThat(jdbc.update("UPDATE end_users SET display_name = 'changed' WHERE external_id = ?", marker))
                .as("rows it cannot see it cannot change").isZero();
        assertThat(jdbc.update("DELETE FROM end_users WHERE external_id = ?", marker)).isZero();
    }

    @Test
    void aTenantCannotWriteAnotherTenantsRows() {
        TenantScope.tenant(tenantA, () -> {
            assertThatThrownBy(() -> jdbc.update(
                    "INSERT INTO end_users (id, tenant_id, external_id, created_at) VALUES (?, ?, ?, now())",
                    UUID.randomUUID(), tenantB, marker + "-other"))
                    .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("row-level security");
            assertThatThrownBy(() -> jdbc.update("UPDATE end_users SET tenant_id = ? WHERE external_id = ?",
                    tenantB, marker))
                    .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("row-level security");
            assertThat(jdbc.update("DELETE FROM end_users WHERE tenant_id = ?", tenantB)).isZero();
        });
        assertThat(seenByPlatform())
                .containsExactlyInAnyOrder(tenantA, tenantB);
    }

    @Test
    void thePlatformScopeSeesEveryTenant() {
        assertThat(seenByPlatform())
                .containsExactlyInAnyOrder(tenantA, tenantB);
    }

    @Test
    void aScopeBoundInsideAnOpenTransactionAppliesThereAndEndsWithIt() {
        transactions.executeWithoutResult(status -> {
            assertThat(endUsersWithoutTenantFilter()).isEmpty();
            assertThat(seenBy(tenantB)).containsExactly(tenantB);
            List<UUID> nested = TenantScope.platform("test: nested", () -> seenBy(tenantA));
            assertThat(nested).containsExactly(tenantA);
            assertThat(endUsersWithoutTenantFilter()).as("back to no scope").isEmpty();
        });
        assertThat(endUsersWithoutTenantFilter()).isEmpty();
    }

    @Test
    void everyTenantTableHasRowLevelSecurity() {
        List<String> withTenantColumn = jdbc.queryForList("""
                SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
                ORDER BY 1""", String.class);
        assertThat(withTenantColumn).as("tables with a tenant_id but no row-level security").isEmpty();
    }

    @Test
    void portalUsersAreSeenByTheirTenantAndPlatformStaffByThePlatformOnly() {
        var superuser = DatabaseSuperuser.of(context);
        String staff = marker + "-staff@plugboard.test";
        superuser.update("""
                INSERT INTO portal_users (id, tenant_id, email, display_name, role, password_hash, enabled, created_at,
                    updated_at)
                VALUES (?, ?, ?, 'A', 'TENANT_ADMIN', 'x', true, now(), now()),
                       (?, ?, ?, 'B', 'TENANT_ADMIN', 'x', true, now(), now()),
                       (?, NULL, ?, 'Staff', 'SUPPORT', 'x', true, now(), now())""",
                UUID.randomUUID(), tenantA, marker + "-a@plugboard.test", UUID.randomUUID(), tenantB,
                marker + "-b@plugboard.test", UUID.randomUUID(), staff);
        java.util.function.Supplier<List<String>> emails = () -> jdbc.queryForList(
                "SELECT email FROM portal_users WHERE email LIKE ? ORDER BY email", String.class, marker + "%");
        assertThat(TenantScope.tenant(tenantA, emails)).containsExactly(marker + "-a@plugboard.test");
        assertThat(TenantScope.platform("test: every portal user", emails)).hasSize(3).contains(staff);
        assertThat(emails.get()).as("no scope").isEmpty();
        assertThat(TenantScope.tenant(tenantA, () -> jdbc.update(
                "UPDATE portal_users SET role = 'PLATFORM_ADMIN' WHERE email = ?", staff)))
                .as("a tenant cannot promote platform staff it cannot see").isZero();
    }

    @Test
    void platformWideCallStatisticsAreHiddenFromTenants() {
        DatabaseSuperuser.of(context).update("""
                INSERT INTO proxy_call_stats_hourly_all (hour, calls, ok, client_errors, errors, latency_buckets)
                VALUES ('1999-01-01T00:00:00Z', 1, 1, 0, 0, '{1}') ON CONFLICT DO NOTHING""");
        String count = "SELECT count(*) FROM proxy_call_stats_hourly_all WHERE hour = '1999-01-01T00:00:00Z'";
        assertThat(TenantScope.tenant(tenantA, () -> jdbc.queryForObject(count, Long.class))).isZero();
        assertThat(TenantScope.platform("test: platform totals", () -> jdbc.queryForObject(count, Long.class))).isOne();
    }
}
