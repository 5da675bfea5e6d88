package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An endpoint edited in the portal while a delivery outcome counts against its health, interleaved by hand in
 * both orders: one transaction holds the row (written, not committed) while the other waits to write it. The
 * store's updates are column-scoped and the service locks the row before reading it, so both effects stay. Also a
 * master-key re-seal that read the secrets before a rotation: it writes nothing over the rotated ones.
 */
@PlugboardTest
class WebhookConcurrentUpdatesIT extends WebhookTestSupport {

    @Autowired
    WebhookStore store;

    @Test
    void anEditWhileAFailureIsCountedKeepsBoth() {
        IssuedSecret endpoint = endpoint("/race/edit-first");
        var id = endpoint.endpoint().id();
        whileRowLocked(() -> asAdmin(() -> webhooks.update(tenant.id(), id, new EndpointInput(
                        receiver.baseUrl() + "/race/edited", "edited", List.of("credential.created")))),
                () -> store.endpointFailed(id, Instant.now()));

        assertEditedAndCounted(id);
    }

    @Test
    void aFailureCountedWhileAnEditWaitsKeepsBoth() {
        IssuedSecret endpoint = endpoint("/race/count-first");
        var id = endpoint.endpoint().id();
        whileRowLocked(() -> store.endpointFailed(id, Instant.now()),
                () -> asAdmin(() -> webhooks.update(tenant.id(), id, new EndpointInput(
                        receiver.baseUrl() + "/race/edited", "edited", List.of("credential.created")))));

        assertEditedAndCounted(id);
    }

    @Test
    void aMasterKeyReSealDoesNotBringBackASigningSecretRotatedAfterItWasRead() {
        IssuedSecret endpoint = endpoint("/race/reseal");
        var id = endpoint.endpoint().id();
        WebhookStore.EndpointRow read = store.endpoint(tenant.id(), id).orElseThrow();
        asAdmin(() -> webhooks.rotateSecret(tenant.id(), id));

        boolean written = transactions.execute(status -> store.resealSecrets(read, read.secret(), read.previousSecret()));

        assertThat(written).as("nothing re-sealed over the rotation").isFalse();
        WebhookStore.EndpointRow after = store.endpoint(tenant.id(), id).orElseThrow();
        assertThat(after.secret()).as("the rotated secret stays").isNotEqualTo(read.secret());
        assertThat(after.previousSecret()).as("the secret before the rotation now signs as the previous one")
                .isNotNull();
    }

    private void assertEditedAndCounted(java.util.UUID id) {
        WebhookStore.EndpointRow after = store.endpoint(tenant.id(), id).orElseThrow();
        assertThat(after.url()).as("the edit").endsWith("/race/edited");
        assertThat(after.eventTypes()).containsExactly("credential.created");
        assertThat(jdbc.queryForObject("SELECT consecutive_failures FROM webhook_endpoints WHERE id = ?",
                Integer.class, id)).as("the counted failure").isEqualTo(1);
    }

    /** Runs {@code first} in a transaction, starts {@code second} on another thread, commits once it waits. */
    private <T> void whileRowLocked(Supplier<?> first, Supplier<T> second) {
        CompletableFuture<T> racing = transactions.execute(status -> {
            first.get();
            // A pool thread: it states its scope, as the delivery worker does for the endpoint's tenant.
            CompletableFuture<T> started = CompletableFuture.supplyAsync(
                    () -> TenantScope.tenant(tenant.id(), second));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                // The race must really happen: the second change waits on the first's row lock.
                assertThat(started).as("the second change waits for the first").isNotDone();
                return waitsOnEndpointRow();
            });
            return started;
        });
        racing.join();
    }

    /** A backend waits for a lock while it reads-for-update or writes an endpoint row. */
    private boolean waitsOnEndpointRow() {
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                               AND query ILIKE '%webhook_endpoints%')""", Boolean.class));
    }
}
