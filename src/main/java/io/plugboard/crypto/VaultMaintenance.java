package io.plugboard.crypto;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a master-key rotation needs after the new keyset is deployed: see which secrets still use an old key, and
 * re-seal them under the primary. The re-encryption never holds one transaction across the run: it walks each store
 * in batches in primary-key order, each batch its own short transaction that skips rows a writer has locked and
 * writes a row only if it still holds the ciphertext read. Writers seal with the primary key themselves, so what
 * they wrote meanwhile is left as it is; a row skipped because it was locked is taken in a later pass.
 */
@Service
public class VaultMaintenance {

    private static final Logger log = LoggerFactory.getLogger(VaultMaintenance.class);
    /** Passes over every store; a later one takes the rows writers held locked during the one before. */
    private static final int MAX_PASSES = 5;
    private static final Duration BETWEEN_PASSES = Duration.ofSeconds(1);

    private static final String EVERY_TENANT = "master-key re-encryption re-seals every tenant's secrets";

    private final SecretVault vault;
    private final List<SealedSecretStore> stores;
    private final ReencryptionRuns runs;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;

    VaultMaintenance(SecretVault vault, List<SealedSecretStore> stores, ReencryptionRuns runs, AuditLog audit,
                     CurrentUser currentUser, TransactionTemplate transactions, Clock clock,
                     @Value("${plugboard.master-key-rotation.batch-size}") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("plugboard.master-key-rotation.batch-size must be at least 1");
        }
        this.vault = vault;
        this.stores = stores;
        this.runs = runs;
        this.audit = audit;
        this.currentUser = currentUser;
        this.transactions = transactions;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    public record StoreStatus(String name, long notOnPrimary) {
    }

    /** {@code run}: the running re-encryption, else the latest one; null before the first. */
    public record VaultStatus(int primaryKeyId, List<SecretVault.MasterKeyInfo> keys, List<StoreStatus> stores,
                              @Nullable ReencryptionRun run) {
        public long notOnPrimary() {
            return stores.stream().mapToLong(StoreStatus::notOnPrimary).sum();
        }
    }

    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public VaultStatus status() {
        return new VaultStatus(vault.primaryKeyId(), vault.keys(),
                stores.stream().map(s -> new StoreStatus(s.name(), s.countNotOnPrimary(vault))).toList(),
                runs.latest().orElse(null));
    }

    /**
     * Starts re-sealing every secret under the primary key in the background and returns at once; {@link #status()}
     * shows how far it got.
     *
     * @throws ReencryptionRunningException when one is running already, here or on another instance
     */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public ReencryptionRun start() {
        AuditActor actor = actor();
        ReencryptionRun run = begin(actor);
        Thread.ofVirtual().name("master-key-reencryption").start(() -> execute(run.id(), actor));
        return run;
    }

    /**
     * Re-seals every secret under the primary key on the caller's thread and returns the finished run.
     *
     * @throws ReencryptionRunningException when one is running already, here or on another instance
     */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public ReencryptionRun resealAll() {
        AuditActor actor = actor();
        return execute(begin(actor).id(), actor);
    }

    private AuditActor actor() {
        return currentUser.principal().map(AuditLog::actorOf).orElse(AuditActor.SYSTEM);
    }

    private ReencryptionRun begin(AuditActor actor) {
        return TenantScope.platform(EVERY_TENANT, () -> beginScoped(actor));
    }

    private ReencryptionRun beginScoped(AuditActor actor) {
        List<Long> totals = stores.stream().map(s -> s.countNotOnPrimary(vault)).toList();
        String by = actor.label() == null ? actor.type().name().toLowerCase() : actor.label();
        return runs.begin(vault.primaryKeyId(), by, stores.stream().map(SealedSecretStore::name).toList(), totals,
                clock.instant()).orElseThrow(() -> new ReencryptionRunningException(runs.latest().orElseThrow()));
    }

    private ReencryptionRun execute(UUID id, AuditActor actor) {
        return TenantScope.platform(EVERY_TENANT, () -> executeScoped(id, actor));
    }

    private ReencryptionRun executeScoped(UUID id, AuditActor actor) {
        long startedAt = System.nanoTime();
        int pass = 1;
        try {
            for (; ; pass++) {
                runs.startPass(id);
                for (int position = 0; position < stores.size(); position++) {
                    SealedSecretStore store = stores.get(position);
                    if (!walk(id, position, store)) {
                        log.warn("Master-key re-encryption {} was taken over by another run; stopping", id);
                        return runs.find(id).orElseThrow();
                    }
                    runs.settle(id, position, store.countNotOnPrimary(vault));
                }
                long remaining = stores.stream().mapToLong(s -> s.countNotOnPrimary(vault)).sum();
                long unreadable = runs.find(id).orElseThrow().progress().stream()
                        .mapToLong(ReencryptionRun.Progress::unreadable).sum();
                if (remaining <= unreadable || pass == MAX_PASSES) {
                    break;
                }
                Thread.sleep(BETWEEN_PASSES);
                runs.heartbeat(id, clock.instant());
            }
            // Settled again at the end: a secret the application re-sealed after its store's walk (a rotation
            // racing the walk) left the old key without this run, and counts as changed rather than missing.
            for (int position = 0; position < stores.size(); position++) {
                runs.settle(id, position, stores.get(position).countNotOnPrimary(vault));
            }
            runs.finish(id, ReencryptionRun.Status.FINISHED, null, clock.instant());
            ReencryptionRun run = runs.find(id).orElseThrow();
            log.info("Master-key re-encryption {} to key {} finished in {} ms, {} pass(es): {}", id, run.primaryKeyId(),
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), pass, run.progress());
            var record = AuditRecord.of("vault.master_key.rotated", null).detail("primaryKeyId", run.primaryKeyId());
            for (var progress : run.progress()) {
                record = record.detail(progress.kind(), progress.resealed());
            }
            audit.record(actor, record.detail("resealed", run.resealed()));
            return run;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(id, actor, "Interrupted.");
        } catch (RuntimeException e) {
            log.error("Master-key re-encryption {} failed", id, e);
            return fail(id, actor, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One store, batch after batch; false when the run is no longer this one's to continue. */
    private boolean walk(UUID id, int position, SealedSecretStore store) {
        String after = null;
        while (true) {
            String from = after;
            Step step = transactions.execute(status -> {
                ResealBatch batch = store.resealBatch(vault, from, batchSize);
                return new Step(batch, runs.advance(id, position, batch, clock.instant()));
            });
            if (step == null || !step.ours()) {
                return false;
            }
            if (step.batch().read() < batchSize) {
                return true;
            }
            after = step.batch().last();
        }
    }

    private record Step(ResealBatch batch, boolean ours) {
    }

    private ReencryptionRun fail(UUID id, AuditActor actor, String error) {
        String message = error.length() > 500 ? error.substring(0, 500) : error;
        runs.finish(id, ReencryptionRun.Status.FAILED, message, clock.instant());
        audit.record(actor, AuditRecord.of("vault.master_key.reencryption_failed", null).detail("run", id));
        return runs.find(id).orElseThrow();
    }
}
