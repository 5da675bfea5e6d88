package io.plugboard.credential;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refreshes tokens before they lapse, and retries permanently failed ones after their cooldown. Safe with
 * several instances: each refresh locks its row and re-checks, so a token is requested once.
 */
@Component
class TokenRefreshJob {

    private static final Logger log = LoggerFactory.getLogger(TokenRefreshJob.class);
    private static final int BATCH = 200;

    private final CredentialStore store;
    private final TokenRefresher refresher;
    private final RefreshProperties properties;
    private final Clock clock;

    TokenRefreshJob(CredentialStore store, TokenRefresher refresher, RefreshProperties properties, Clock clock) {
        this.store = store;
        this.refresher = refresher;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${plugboard.refresh.job-interval}", initialDelayString = "${plugboard.refresh.job-interval}")
    void refreshDueTokens() {
        Instant now = clock.instant();
        Duration window = properties.margin().plus(properties.jobInterval().multipliedBy(2));
        var dueNow = TenantScope.platform("tokens due for refresh, of every tenant",
                () -> store.dueForRefresh(now.plus(window), now.minus(properties.cooldown()), now, BATCH));
        for (Object[] due : dueNow) {
            try {
                refresher.refreshInBackground((UUID) due[0], (String) due[1]);
            } catch (RuntimeException e) {
                log.debug("Background refresh of {} did not succeed: {}", due[1], e.getMessage());
            }
        }
    }
}
