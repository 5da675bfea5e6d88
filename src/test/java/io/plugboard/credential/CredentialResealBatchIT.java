package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.crypto.ApplicationKeyset;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A re-encryption batch never waits on a writer: a credential whose row a refresh holds locked (it may be talking to
 * the provider for seconds) is skipped, and taken by a later batch once the writer is done.
 */
@PlugboardTest
class CredentialResealBatchIT extends ProxyTestSupport {

    @Autowired
    CredentialSecrets secrets;
    @Autowired
    CredentialStore store;
    @Autowired
    SecretVault vault;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aBatchSkipsARowAWriterHoldsLockedAndALaterBatchTakesIt() throws Exception {
        String app = apiKeyConnectorAt("reseal-locked", provider.baseUrl());
        String locked = apiKeyCredential(app, Map.of("apiKey", "key-of-the-locked-row"));
        // Just before the locked row in id order.
        String before = locked.substring(0, locked.length() - 1);
        var rotated = new SecretVault(MasterKeys.withNewPrimary(ApplicationKeyset.of(vault)));
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        // Own threads: the common pool may have a single one on a small machine, which the writer would occupy.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT id FROM credentials WHERE id = ? FOR UPDATE", locked);
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), threads);
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            ResealBatch batch = CompletableFuture.supplyAsync(() -> secrets.resealBatch(rotated, before, 1), threads)
                    .get(10, TimeUnit.SECONDS);

            assertThat(batch.last()).as("the locked row is not read").isNotEqualTo(locked);
            assertThat(SecretVault.keyIdOf(secret(locked))).isEqualTo(vault.primaryKeyId());
            release.countDown();
            writer.get(30, TimeUnit.SECONDS);

            ResealBatch later = secrets.resealBatch(rotated, before, 1);

            assertThat(later.last()).isEqualTo(locked);
            assertThat(later.resealed()).isOne();
            assertThat(SecretVault.keyIdOf(secret(locked))).isEqualTo(rotated.primaryKeyId());
        } finally {
            release.countDown();
            writer.get(30, TimeUnit.SECONDS);
            threads.shutdown();
            // Back under the application's own key, which does not know the rotated one.
            for (var row : store.sealedNotOn(vault.primaryKeyIdBytes(), "", 100_000)) {
                if (SecretVault.keyIdOf(row.secret()) == rotated.primaryKeyId()) {
                    var binding = CredentialIds.binding(row.tenantId(), row.id(), row.destination());
                    store.reseal(row, vault.seal(binding, rotated.open(binding, row.secret())));
                }
            }
        }
        assertThat(StoredSecrets.open(context, tenant.id(), locked).fields()).containsEntry("apiKey",
                "key-of-the-locked-row");
    }

    private byte[] secret(String credentialId) {
        return jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, credentialId);
    }
}
