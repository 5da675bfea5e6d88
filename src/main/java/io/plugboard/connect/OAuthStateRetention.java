package io.plugboard.connect;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Authorization redirects leave a row each in {@code oauth_states}, used or not. An hour after a state expired its
 * row goes (until then a late callback is still told it took too long, rather than that it is unknown). Deletes run
 * in small batches and are harmless when several instances run them at once.
 */
@Component
public class OAuthStateRetention {

    static final Duration GRACE = Duration.ofHours(1);
    private static final int BATCH = 5_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    OAuthStateRetention(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** Returns how many rows were deleted. */
    @Scheduled(fixedDelay = 600_000, initialDelay = 90_000)
    public int purgeExpired() {
        return TenantScope.platform("retention: expired OAuth states of every tenant", this::purge);
    }

    private int purge() {
        OffsetDateTime before = OffsetDateTime.ofInstant(clock.instant().minus(GRACE), ZoneOffset.UTC);
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update("""
                    DELETE FROM oauth_states WHERE state_hash IN (
                        SELECT state_hash FROM oauth_states WHERE expires_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)""",
                    before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
