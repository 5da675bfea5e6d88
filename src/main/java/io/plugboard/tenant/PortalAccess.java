package io.plugboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.database.NotificationListener;
import io.plugboard.security.AccessRefusal;
import io.plugboard.security.PortalAccessCheck;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The rules of sign-in, applied to every request of a signed-in session. Each user's row (enabled, role, tenant,
 * access epoch and the tenant's status) is read once and kept while the {@value #CHANNEL} feed is live: changeset
 * 016's triggers announce every committed change to those columns, on any instance, and the copy goes at once
 * (typically within milliseconds). While the feed is not live nothing is kept, so every request reads the row.
 */
@Component
class PortalAccess implements PortalAccessCheck, SmartLifecycle {

    static final String CHANNEL = "plugboard_portal_access";
    private static final Logger log = LoggerFactory.getLogger(PortalAccess.class);

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final NotificationListener feed;
    private final Cache<UUID, Cached> users = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    PortalAccess(DataSource dataSource, AuditLog audit, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.audit = audit;
        this.feed = new NotificationListener(dataSource, CHANNEL, this::changed);
        // Anyone in the database may NOTIFY: what Plugboard did not seal is refused, and counted here.
        FunctionCounter.builder("plugboard.change.feed.refused", feed, NotificationListener::refused)
                .description("Notifications refused as not sealed by Plugboard's triggers, or replayed")
                .tag("feed", CHANNEL).register(registry);
    }

    /** What decides sign-in, as the database has it now. */
    record Access(boolean enabled, String role, @Nullable UUID tenantId, long epoch, boolean tenantActive) {
    }

    private record Cached(Optional<Access> access, long feedEpoch) {
    }

    @Override
    public Optional<AccessRefusal> refusal(PortalPrincipal principal) {
        long trusted = feed.trustedEpoch();
        if (trusted >= 0) {
            Cached cached = users.getIfPresent(principal.userId());
            if (cached != null && cached.feedEpoch() == trusted) {
                return verdict(principal, cached.access());
            }
        }
        long changesBefore = feed.changes();
        Optional<Access> access = read(principal.userId());
        // Kept only if no change arrived while reading: it might have been this user's, committed after the read.
        if (trusted >= 0 && feed.changes() == changesBefore && feed.trustedEpoch() == trusted) {
            users.put(principal.userId(), new Cached(access, trusted));
        }
        return verdict(principal, access);
    }

    @Override
    public Optional<AccessRefusal> refusalNow(PortalPrincipal principal) {
        return verdict(principal, read(principal.userId()));
    }

    @Override
    public void refused(PortalPrincipal principal, AccessRefusal why, String request) {
        audit.record(AuditLog.actorOf(principal), AuditRecord.of("auth.session.refused", principal.tenantId())
                .target("user", principal.userId()).detail("reason", why.code()).detail("request", request));
    }

    /** Same order of rules as sign-in; the first that fails names the refusal. */
    static Optional<AccessRefusal> verdict(PortalPrincipal principal, Optional<Access> found) {
        if (found.isEmpty() || !found.get().enabled()) {
            return Optional.of(AccessRefusal.DISABLED);
        }
        Access access = found.get();
        if (access.tenantId() != null && !access.tenantActive()) {
            return Optional.of(AccessRefusal.TENANT_SUSPENDED);
        }
        if (!access.role().equals(principal.role()) || !Objects.equals(access.tenantId(), principal.tenantId())) {
            return Optional.of(AccessRefusal.ROLE_CHANGED);
        }
        if (access.epoch() != principal.accessEpoch()) {
            return Optional.of(AccessRefusal.ACCESS_CHANGED);
        }
        return Optional.empty();
    }

    /**
     * Joins the caller's transaction, if there is one. In the platform scope: the request may work in a tenant that
     * is not the user's own (customer success), and its own row decides whether it may.
     */
    private Optional<Access> read(UUID userId) {
        List<Access> found = TenantScope.platform("a session's own user row, whatever tenant it works in",
                () -> jdbc.query("""
                SELECT u.enabled, u.role, u.tenant_id, u.access_epoch, t.status
                FROM portal_users u LEFT JOIN tenants t ON t.id = u.tenant_id
                WHERE u.id = ?""", (rs, n) -> new Access(rs.getBoolean("enabled"), rs.getString("role"),
                rs.getObject("tenant_id", UUID.class), rs.getLong("access_epoch"),
                "ACTIVE".equals(rs.getString("status"))), userId));
        return found.stream().findFirst();
    }

    private void changed(String payload) {
        int colon = payload.indexOf(':');
        try {
            UUID id = UUID.fromString(payload.substring(colon + 1));
            if (payload.startsWith("user:")) {
                users.invalidate(id);
            } else if (payload.startsWith("tenant:")) {
                users.asMap().values().removeIf(cached -> cached.access()
                        .map(access -> id.equals(access.tenantId())).orElse(false));
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            log.warn("Ignored a malformed portal access notification");
        }
    }

    /**
     * Drops this instance's copy of a user's access at once, for a change this instance just committed and is about
     * to act on (a sign-in that set the role): the feed's notice of it may arrive after the session's first request.
     */
    void forget(UUID userId) {
        users.invalidate(userId);
    }

    /** For tests: whether a copy of this user's access is kept. */
    boolean cached(UUID userId) {
        return users.getIfPresent(userId) != null;
    }

    /** For tests: the epoch a copy read now may rely on, -1 while the feed is not live. */
    long feedEpoch() {
        return feed.trustedEpoch();
    }

    /** For tests: count of notifications refused as not Plugboard's own. */
    long refusedNotifications() {
        return feed.refused();
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
