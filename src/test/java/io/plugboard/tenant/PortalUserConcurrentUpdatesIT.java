package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.TestTenants.TestTenant;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A portal user changed from two places at once (an admin disables the account while another resets its password
 * or changes its role): the change committed second must not write back the columns it read before the first
 * committed, or a disabled account would be enabled again.
 */
@PlugboardTest
class PortalUserConcurrentUpdatesIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    PortalUserRepository users;
    @Autowired
    UserService userService;
    @Autowired
    Passwords passwords;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EntityManager entityManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Clock clock;

    @Test
    void aPasswordResetWhileTheAccountIsDisabledKeepsItDisabled() {
        TestTenant tenant = TestTenants.create(context, "user-race");
        UUID member = member(tenant);

        String password = whileRowLocked(
                () -> users.findById(member).orElseThrow().setEnabled(false, clock.instant()),
                () -> asAdmin(tenant, () -> userService.resetPassword(UserScope.tenant(tenant.id()), member, null)));

        PortalUser after = users.findById(member).orElseThrow();
        assertThat(after.enabled()).as("still disabled").isFalse();
        assertThat(passwords.matches(password, after.passwordHash())).as("the new password").isTrue();
    }

    @Test
    void aRoleChangeWhileThePasswordIsResetKeepsBoth() {
        TestTenant tenant = TestTenants.create(context, "user-race");
        UUID member = member(tenant);
        String newHash = passwords.hash("a-new-password-for-the-race");

        whileRowLocked(
                () -> users.findById(member).orElseThrow().changePassword(newHash, clock.instant()),
                () -> asAdmin(tenant, () -> userService.update(UserScope.tenant(tenant.id()), member, "Renamed",
                        AppRoles.TENANT_ADMIN)));

        PortalUser after = users.findById(member).orElseThrow();
        assertThat(after.passwordHash()).isEqualTo(newHash);
        assertThat(after.role()).isEqualTo(AppRoles.TENANT_ADMIN);
        assertThat(after.displayName()).isEqualTo("Renamed");
    }

    private UUID member(TestTenant tenant) {
        return asAdmin(tenant, () -> userService.create(UserScope.tenant(tenant.id()), new NewUser(
                "member-" + UUID.randomUUID().toString().substring(0, 8) + "@" + tenant.slug() + ".example",
                "A member", AppRoles.AUDITOR, null))).user().id();
    }

    /**
     * Runs {@code first} in a transaction and writes it out, so it holds the row; starts {@code second} on another
     * thread, which reads the row as committed before and then waits on the lock to write; commits the first.
     */
    private <T> T whileRowLocked(Runnable first, Supplier<T> second) {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<T> racing = transactions.execute(status -> {
                first.run();
                entityManager.flush();
                CompletableFuture<T> started = CompletableFuture.supplyAsync(second, thread);
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> started.isDone() || anotherTransactionWaitsOnMine());
                return started;
            });
            return racing.join();
        } finally {
            thread.shutdown();
        }
    }

    /** A backend waits for a row lock to write the portal_users table (the activity snapshot is cleared first). */
    private boolean anotherTransactionWaitsOnMine() {
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                               AND query ILIKE 'update portal_users%')""", Boolean.class));
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
