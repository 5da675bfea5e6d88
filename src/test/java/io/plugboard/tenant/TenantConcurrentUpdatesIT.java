package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.crypto.SecretVault;
import io.plugboard.tenant.TestTenants.TestTenant;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two changes of one tenant row from different places, interleaved by hand: the first holds the row's lock
 * (written, not committed) while the second has read the row and waits to write it. Neither may write back the
 * columns it read before the other committed.
 */
@PlugboardTest
class TenantConcurrentUpdatesIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    TenantRepository tenants;
    @Autowired
    TenantService tenantService;
    @Autowired
    AllowedOrigins allowedOrigins;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EntityManager entityManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SecretVault vault;
    @Autowired
    Clock clock;
    @Autowired
    TenantSecretStore secretStore;

    @Test
    void aSuspensionWhileTheClientSecretIsRotatedKeepsBoth() {
        TestTenant tenant = TestTenants.create(context, "race");
        String rotated = whileRowLocked(
                () -> tenants.findById(tenant.id()).orElseThrow().suspend(clock.instant()),
                () -> asAdmin(tenant, () -> tenantService.rotateClientSecret(tenant.id())));

        Tenant after = tenants.findById(tenant.id()).orElseThrow();
        assertThat(after.active()).as("still suspended").isFalse();
        assertThat(after.suspendedAt()).isNotNull();
        assertThat(vault.open(ClientSecrets.binding(tenant.id()), after.clientSecret())).as("the rotated secret").isEqualTo(rotated);
    }

    @Test
    void aMasterKeyReSealDoesNotBringBackAClientSecretRotatedAfterItWasRead() {
        TestTenant tenant = TestTenants.create(context, "reseal");
        byte[] read = tenants.findById(tenant.id()).orElseThrow().clientSecret();
        String rotated = asAdmin(tenant, () -> tenantService.rotateClientSecret(tenant.id()));

        Boolean written = transactions.execute(status -> secretStore.reseal(vault, tenant.id(), read));

        assertThat(written).as("nothing re-sealed over the rotation").isFalse();
        Tenant after = tenants.findById(tenant.id()).orElseThrow();
        assertThat(vault.open(ClientSecrets.binding(tenant.id()), after.clientSecret())).isEqualTo(rotated);
    }

    @Test
    void aRotationWhileTheAllowedOriginsAreEditedKeepsBoth() {
        TestTenant tenant = TestTenants.create(context, "race");
        String rotated = whileRowLocked(
                () -> asAdmin(tenant, () -> allowedOrigins.update(tenant.id(), List.of("https://app.example.com"))),
                () -> asAdmin(tenant, () -> tenantService.rotateClientSecret(tenant.id())));

        Tenant after = tenants.findById(tenant.id()).orElseThrow();
        assertThat(after.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(vault.open(ClientSecrets.binding(tenant.id()), after.clientSecret())).isEqualTo(rotated);
    }

    /**
     * Runs {@code first} in a transaction and writes it out, so it holds the row; starts {@code second} on another
     * thread, which reads the row as committed before and then waits on the lock to write; commits the first.
     */
    private <T> T whileRowLocked(Runnable first, Supplier<T> second) {
        CompletableFuture<T> racing = transactions.execute(status -> {
            first.run();
            entityManager.flush();
            CompletableFuture<T> started = CompletableFuture.supplyAsync(second);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> started.isDone() || anotherTransactionWaitsOnMine());
            return started;
        });
        return racing.join();
    }

    /** A backend waits for a row lock to write the tenants table (the activity snapshot is cleared first). */
    private boolean anotherTransactionWaitsOnMine() {
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                               AND query ILIKE 'update tenants%')""", Boolean.class));
    }

    private <T> T asAdmin(TestTenant tenant, Supplier<T> work) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        var previous = strategy.getContext();
        var principal = SignedIn.principal(jdbc, tenant.adminEmail());
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.setContext(previous);
        }
    }
}
