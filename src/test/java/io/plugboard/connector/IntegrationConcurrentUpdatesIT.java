package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * An admin's edit of an integration and a destination change that clears its client secret, interleaved by
 * hand: the clearing holds the row (written, not committed) while the edit has read the row and waits to write
 * it. The edit must not write back the secret it read.
 */
@PlugboardTest
class IntegrationConcurrentUpdatesIT {

    private static final String APP = "github";

    @Autowired
    ApplicationContext context;
    @Autowired
    IntegrationService integrations;
    @Autowired
    IntegrationStore store;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void scopesEditedWhileADestinationChangeClearsTheSecretKeepsBoth() {
        TestTenant tenant = TestTenants.create(context, "intrace");
        asAdmin(tenant, () -> integrations.update(tenant.id(), APP, new IntegrationUpdate(true, "client-id",
                "client-secret", List.of("repo"))));

        CompletableFuture<IntegrationSettings> edit = transactions.execute(status -> {
            assertThat(integrations.forgetClientSecret(tenant.id(), APP)).isTrue();
            CompletableFuture<IntegrationSettings> started = CompletableFuture.supplyAsync(() -> asAdmin(tenant,
                    () -> integrations.update(tenant.id(), APP, new IntegrationUpdate(true, "client-id", null,
                            List.of("repo", "read:user")))));
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> started.isDone() || waitsToWrite("insert into integrations"));
            return started;
        });
        edit.join();

        IntegrationStore.Row after = store.find(tenant.id(), APP).orElseThrow();
        assertThat(after.scopes()).as("the admin's scopes").containsExactly("repo", "read:user");
        assertThat(after.clientSecret()).as("the cleared secret").isNull();
        assertThat(after.clientSecretDestination()).isNull();
        assertThat(asAdmin(tenant, () -> integrations.settings(tenant.id(), APP)).clientSecretStored()).isFalse();
    }

    /** A backend waits for a row lock to run this statement (the activity snapshot is cleared first). */
    private boolean waitsToWrite(String statementStart) {
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                               AND ltrim(query) ILIKE ? || '%')""", Boolean.class, statementStart));
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
