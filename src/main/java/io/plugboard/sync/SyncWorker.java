package io.plugboard.sync;

import io.plugboard.security.TenantScope;
import io.plugboard.worker.ClaimLoop;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sync worker of this instance: claims due runs while it has free slots ({@code plugboard.sync.concurrency})
 * and runs each on a virtual thread. It looks again when a run ends, when "run now" is asked here, and every poll
 * interval. Across the cluster, no more than {@code max-runs-per-tenant} runs of one tenant and
 * {@code max-runs-per-host} against one provider API host are in progress at once: the claim counts them. Nothing is
 * kept in memory that the database does not have: a run this instance was doing when it
 * stopped is taken over from its checkpoint once its lease runs out.
 */
@Component
class SyncWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
    /** Time for the pages in progress to arrive and be saved, within Spring's 30 s per shutdown phase. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final SyncStates states;
    private final SyncRunner runner;
    private final SyncProperties properties;
    private final ClaimLoop<SyncStates.Claim> loop;

    SyncWorker(SyncStates states, SyncRunner runner, SyncProperties properties) {
        this.states = states;
        this.runner = runner;
        this.properties = properties;
        // A claim counts the runs in progress of every tenant and host, so after each claim the loop waits for a run
        // to end, a wake or the next poll instead of claiming again at once.
        this.loop = new ClaimLoop<>(new ClaimLoop.Settings("sync-worker", "sync-run-", properties.concurrency(),
                properties.pollInterval(), STOP_GRACE, false), new Runs());
    }

    @Override
    public void start() {
        if (properties.workerEnabled()) {
            loop.start();
        }
    }

    /**
     * Stops claiming; each run in progress saves the page it is reading and hands the run back, due at once, so
     * another instance carries on from there. A run still busy after the grace period is interrupted; its lease
     * runs out and it is taken over from its last checkpoint.
     */
    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Look for due runs now rather than at the next poll. */
    void wake() {
        loop.wake();
    }

    /** Claims up to {@code limit} due runs for a new lease owner. */
    List<SyncStates.Claim> claim(int limit) {
        return TenantScope.platform("sync runs due, of every tenant",
                () -> states.claim(limit, UUID.randomUUID(), properties.lease(), properties.maxRunsPerTenant(),
                        properties.maxRunsPerHost()));
    }

    /** Claims the due runs and runs them one after the other on this thread; returns how many ran. */
    int runDue() {
        var claimed = claim(properties.concurrency());
        claimed.forEach(runner::run);
        return claimed.size();
    }

    private final class Runs implements ClaimLoop.Work<SyncStates.Claim> {

        @Override
        public List<SyncStates.Claim> claim(int limit) {
            return SyncWorker.this.claim(limit);
        }

        @Override
        public void run(SyncStates.Claim claim) {
            runner.run(claim, loop::isRunning);
        }

        @Override
        public void failed(SyncStates.Claim claim, RuntimeException e) {
            // Not recorded: the lease runs out and the run is taken over from its checkpoint.
            log.warn("Sync of {} {} stopped: {}", claim.credentialId(), claim.model().key(), e.toString());
        }

        @Override
        public void claimFailed(RuntimeException e) {
            log.warn("Sync worker could not claim runs: {}", e.getMessage());
        }
    }
}
