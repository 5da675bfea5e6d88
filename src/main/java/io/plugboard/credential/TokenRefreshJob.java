package io.plugboard.credential;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refreshes tokens before they lapse, and retries permanently failed ones after their cooldown. Safe with
 * several instances: each refresh claims its row and re-checks, so a token is requested once.
 *
 * <p>Refreshes run side by side on virtual threads, at most {@code plugboard.refresh.job-concurrency} at once: a
 * token endpoint that answers slowly delays its own credentials by at most its deadline, not every credential
 * behind them in the batch, and cannot occupy more than that many places. Credentials beyond them wait for the
 * next run.
 */
@Component
class TokenRefreshJob {

    private static final Logger log = LoggerFactory.getLogger(TokenRefreshJob.class);
    private static final int BATCH = 200;

    private final CredentialStore store;
    private final TokenRefresher refresher;
    private final RefreshProperties properties;
    private final Clock clock;
    private final Semaphore running;

    TokenRefreshJob(CredentialStore store, TokenRefresher refresher, RefreshProperties properties, Clock clock) {
        this.store = store;
        this.refresher = refresher;
        this.properties = properties;
        this.clock = clock;
        this.running = new Semaphore(properties.jobConcurrency());
    }

    @Scheduled(fixedDelayString = "${plugboard.refresh.job-interval}", initialDelayString = "${plugboard.refresh.job-interval}")
    void refreshDueTokens() {
        Instant now = clock.instant();
        Duration window = properties.margin().plus(properties.jobInterval().multipliedBy(2));
        var dueNow = TenantScope.platform("tokens due for refresh, of every tenant",
                () -> store.dueForRefresh(now.plus(window), now.minus(properties.cooldown()), now, BATCH));
        for (Object[] due : dueNow) {
            if (!running.tryAcquire()) {
                return;
            }
            UUID tenantId = (UUID) due[0];
            String id = (String) due[1];
            Thread.ofVirtual().name("token-refresh").start(() -> {
                try {
                    refresher.refreshInBackground(tenantId, id);
                } catch (RuntimeException e) {
                    log.debug("Background refresh of {} did not succeed: {}", id, e.getMessage());
                } finally {
                    running.release();
                }
            });
        }
    }
}
