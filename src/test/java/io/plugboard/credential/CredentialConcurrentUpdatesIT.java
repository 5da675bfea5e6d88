package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two changes of one credential from different places, interleaved by hand: the first holds the row's lock (written,
 * not committed) while the second has read the row and waits to write it. Neither may write back the columns it
 * read before the other committed.
 */
@PlugboardTest
class CredentialConcurrentUpdatesIT extends ProxyTestSupport {

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aLabelEditWhileTheMetadataIsEditedKeepsBoth() {
        String id = venueCredential("label-race");

        whileRowLocked(
                () -> asAdmin(tenant, () -> credentials.update(tenant.id(), id, new CredentialChange("Front desk", null))),
                () -> asAdmin(tenant, () -> credentials.update(tenant.id(), id,
                        new CredentialChange(null, Map.of("venue", "Hall B")))));

        CredentialView after = asAdmin(tenant, () -> credentials.get(tenant.id(), id));
        assertThat(after.label()).isEqualTo("Front desk");
        assertThat(after.metadata()).containsExactly(Map.entry("venue", "Hall B"));
    }

    @Test
    void aReconnectWhileTheLabelIsEditedKeepsTheLabel() {
        String id = venueCredential("reconnect-race");
        String app = asAdmin(tenant, () -> credentials.get(tenant.id(), id)).appKey();

        whileRowLocked(
                () -> asAdmin(tenant, () -> credentials.update(tenant.id(), id, new CredentialChange("Renamed", null))),
                () -> asAdmin(tenant, () -> credentials.reconnect(tenant.id(), id, new NewCredential(app,
                        "reconnect-race", null, null, null, Map.of("apiKey", "key-after-reconnect"),
                        Map.of("venue", "Hall C"), null))));

        CredentialView after = asAdmin(tenant, () -> credentials.get(tenant.id(), id));
        assertThat(after.label()).as("the edit committed first").isEqualTo("Renamed");
        assertThat(after.metadata()).containsExactly(Map.entry("venue", "Hall C"));
        assertThat(StoredSecrets.open(context, tenant.id(), id).fields()).containsEntry("apiKey", "key-after-reconnect");
    }

    private String venueCredential(String endUser) {
        String app = connector(SecretDestinationBindingIT.apiKeyYaml("venue-" + endUser, "Venue " + endUser,
                provider.baseUrl()));
        return credential(tenant, app, endUser, Map.of("apiKey", "key-of-" + endUser), null);
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

    /** A backend waits for a row lock to write the credentials table (the activity snapshot is cleared first). */
    private boolean anotherTransactionWaitsOnMine() {
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                               AND query ILIKE 'update credentials%')""", Boolean.class));
    }
}
