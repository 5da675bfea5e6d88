package io.plugboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.database.NotificationListener;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.PortalSessions;
import io.plugboard.security.TenantScope;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The rows of {@code portal_sessions}. A session's "ended" is read once and kept while the
 * {@value #CHANNEL} feed is live: changeset 039's trigger announces every session ended, on any instance, when it
 * commits, and the copy goes at once. The same pattern as {@link PortalAccess}, for sessions rather than users.
 */
@Component
class PortalSessionRegistry implements PortalSessions, HttpSessionListener, SmartLifecycle {

    static final String CHANNEL = "plugboard_portal_sessions";
    /** "Last seen" is written at most this often per session: not a write per click. */
    static final Duration SEEN_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(PortalSessionRegistry.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final NotificationListener feed;
    private final Cache<UUID, Cached> endedCopies = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(100_000).build();
    private final Cache<UUID, Instant> lastWritten = Caffeine.newBuilder()
            .expireAfterWrite(SEEN_EVERY).maximumSize(100_000).build();

    private record Cached(boolean ended, long feedEpoch) {
    }

    /** One session as its user sees it in the list. */
    record Row(UUID id, Instant startedAt, Instant lastSeenAt, @Nullable String userAgent, @Nullable String sourceIp) {
    }

    /** Ended rows are kept this long (the list shows active ones only; the audit trail keeps the history). */
    static final Duration KEEP_ENDED = Duration.ofDays(30);

    private final Duration sessionTimeout;

    PortalSessionRegistry(DataSource dataSource, Clock clock,
                          @Value("${server.servlet.session.timeout:30m}") Duration sessionTimeout) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.sessionTimeout = sessionTimeout;
        this.feed = new NotificationListener(dataSource, CHANNEL, this::changed);
    }

    @Override
    public UUID started(PortalPrincipal principal, String userAgent, String sourceIp) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        TenantScope.platform("a session's own row, whatever tenant it works in", () -> jdbc.update("""
                INSERT INTO portal_sessions (id, user_id, tenant_id, started_at, last_seen_at, user_agent, source_ip)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", id, principal.userId(), principal.tenantId(), now, now,
                truncate(userAgent, 512), truncate(sourceIp, 64)));
        lastWritten.put(id, clock.instant());
        return id;
    }

    @Override
    public boolean ended(PortalPrincipal principal, UUID sessionId) {
        long trusted = feed.trustedEpoch();
        if (trusted >= 0) {
            Cached cached = endedCopies.getIfPresent(sessionId);
            if (cached != null && cached.feedEpoch() == trusted) {
                return cached.ended() || seen(sessionId);
            }
        }
        long changesBefore = feed.changes();
        boolean ended = TenantScope.platform("a session's own row, whatever tenant it works in", () -> jdbc.queryForList(
                "SELECT 1 FROM portal_sessions WHERE id = ? AND ended_at IS NULL", sessionId).isEmpty());
        if (trusted >= 0 && feed.changes() == changesBefore && feed.trustedEpoch() == trusted) {
            endedCopies.put(sessionId, new Cached(ended, trusted));
        }
        return ended || seen(sessionId);
    }

    /** Always false; writes "last seen" when it is older than {@link #SEEN_EVERY}. */
    private boolean seen(UUID sessionId) {
        Instant now = clock.instant();
        if (lastWritten.getIfPresent(sessionId) == null) {
            lastWritten.put(sessionId, now);
            TenantScope.platform("a session's own row, whatever tenant it works in", () -> jdbc.update(
                    "UPDATE portal_sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
                    Timestamp.from(now), sessionId));
        }
        return false;
    }

    /** The user's sessions not ended, newest first. Joins the caller's transaction and scope. */
    List<Row> active(UUID userId) {
        return jdbc.query("""
                SELECT id, started_at, last_seen_at, user_agent, source_ip FROM portal_sessions
                WHERE user_id = ? AND ended_at IS NULL ORDER BY last_seen_at DESC, started_at DESC""",
                (rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), rs.getString("user_agent"),
                        rs.getString("source_ip")), userId);
    }

    /** Ends the user's sessions but {@code keep} (may be null: all of them); returns how many. */
    int endAll(UUID userId, @Nullable UUID keep, String reason) {
        return jdbc.update("""
                UPDATE portal_sessions SET ended_at = ?, ended_reason = ?
                WHERE user_id = ? AND ended_at IS NULL AND id IS DISTINCT FROM ?""",
                Timestamp.from(clock.instant()), reason, userId, keep);
    }

    /** Ends one of the user's sessions; false if it is not theirs or already over. */
    boolean end(UUID userId, UUID sessionId, String reason) {
        return jdbc.update("""
                UPDATE portal_sessions SET ended_at = ?, ended_reason = ?
                WHERE id = ? AND user_id = ? AND ended_at IS NULL""",
                Timestamp.from(clock.instant()), reason, sessionId, userId) == 1;
    }

    @Override
    public void replaced(UUID sessionId) {
        close(sessionId, "signed_in_again");
    }

    /** Signed out, timed out or refused: the row is over too. */
    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        Object id;
        try {
            id = event.getSession().getAttribute(ATTRIBUTE);
        } catch (IllegalStateException invalidated) {
            return;
        }
        if (id instanceof UUID sessionId) {
            close(sessionId, "closed");
        }
    }

    /**
     * A session that timed out on an instance that stopped before it could say so: unseen for longer than the HTTP
     * session timeout, it cannot come back, so it is marked expired. Rows ended long ago go. Returns how many rows
     * were marked or deleted.
     */
    @Scheduled(fixedDelay = 600_000, initialDelay = 90_000)
    public int tidy() {
        Instant now = clock.instant();
        return TenantScope.platform("housekeeping: portal sessions of every tenant", () -> jdbc.update(
                "UPDATE portal_sessions SET ended_at = ?, ended_reason = 'expired' WHERE ended_at IS NULL "
                        + "AND last_seen_at < ?", Timestamp.from(now),
                Timestamp.from(now.minus(sessionTimeout).minus(SEEN_EVERY)))
                + jdbc.update("DELETE FROM portal_sessions WHERE ended_at < ?", Timestamp.from(now.minus(KEEP_ENDED))));
    }

    private void close(UUID sessionId, String reason) {
        try {
            TenantScope.platform("a session that closed, whatever tenant it worked in", () -> jdbc.update(
                    "UPDATE portal_sessions SET ended_at = ?, ended_reason = ? WHERE id = ? AND ended_at IS NULL",
                    Timestamp.from(clock.instant()), reason, sessionId));
        } catch (RuntimeException e) {
            // At shutdown the pool may be gone; the row stays until the user ends it from the list.
            log.debug("Could not mark a closed portal session ended", e);
        }
    }

    private void changed(String payload) {
        try {
            endedCopies.invalidate(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a malformed portal session notification");
        }
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** For tests: whether the feed is live. */
    boolean live() {
        return feed.trustedEpoch() >= 0;
    }

    @Override
    public void start() {
        feed.start();
    }

    @Override
    public void stop() {
        feed.close();
    }

    @Override
    public boolean isRunning() {
        return feed.running();
    }
}
