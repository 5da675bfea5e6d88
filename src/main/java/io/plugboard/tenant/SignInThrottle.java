package io.plugboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins. Per e-mail in the database, so every instance sees the same lock and an
 * unknown e-mail locks exactly like a real one; per source address in memory, as a brake on spraying.
 */
@Component
public class SignInThrottle {

    private final JdbcTemplate jdbc;
    private final SignInProperties properties;
    private final Clock clock;
    private final Cache<String, AtomicInteger> failuresByIp;

    SignInThrottle(DataSource dataSource, SignInProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
        this.clock = clock;
        this.failuresByIp = Caffeine.newBuilder()
                .expireAfterWrite(properties.lockout())
                .maximumSize(100_000)
                .build();
    }

    boolean emailLocked(String email) {
        return !jdbc.queryForList("SELECT 1 FROM sign_in_failures WHERE email = ? AND locked_until > ?",
                email, utc(clock.instant())).isEmpty();
    }

    boolean ipThrottled(String ip) {
        AtomicInteger failures = failuresByIp.getIfPresent(ip);
        return failures != null && failures.get() >= properties.maxFailuresPerIp();
    }

    /** Returns true when this failure locked the e-mail. */
    boolean recordFailure(String email, String ip) {
        failuresByIp.get(ip, key -> new AtomicInteger()).incrementAndGet();
        Instant now = clock.instant();
        Integer failures = jdbc.queryForObject("""
                INSERT INTO sign_in_failures (email, failures, locked_until, last_failure_at) VALUES (?, 1, NULL, ?)
                ON CONFLICT (email) DO UPDATE SET
                    failures = CASE WHEN sign_in_failures.last_failure_at < ? THEN 1
                                    ELSE sign_in_failures.failures + 1 END,
                    last_failure_at = EXCLUDED.last_failure_at
                RETURNING failures""", Integer.class, email, utc(now), utc(now.minus(properties.lockout())));
        if (failures != null && failures >= properties.maxFailures()) {
            jdbc.update("UPDATE sign_in_failures SET failures = 0, locked_until = ? WHERE email = ?",
                    utc(now.plus(properties.lockout())), email);
            return true;
        }
        return false;
    }

    /**
     * Rows whose lock is over and whose failures no longer add up (the last is older than the lockout window) mean
     * nothing any more; anyone can create them by typing e-mails, so they go. Returns how many were deleted.
     */
    @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
    public int purgeExpired() {
        OffsetDateTime now = utc(clock.instant());
        OffsetDateTime stale = utc(clock.instant().minus(properties.lockout()));
        int total = 0;
        int deleted;
        do {
            // Small batches, no long locks; several instances doing it at once only share the work.
            deleted = jdbc.update("""
                    DELETE FROM sign_in_failures WHERE email IN (
                        SELECT email FROM sign_in_failures
                        WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)
                        LIMIT 5000 FOR UPDATE SKIP LOCKED)""", stale, now);
            total += deleted;
        } while (deleted == 5000);
        return total;
    }

    void recordSuccess(String email) {
        jdbc.update("DELETE FROM sign_in_failures WHERE email = ?", email);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
