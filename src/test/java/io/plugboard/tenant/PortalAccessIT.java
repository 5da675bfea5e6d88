package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.security.AccessRefusal;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.sync.sqlaccess.SqlLoginSessions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The per-request access check's copy of a user's row: kept while the change feed is live, dropped as soon as a
 * change to the row commits (here by plain SQL, as another instance or an operator would), and read again.
 */
@PlugboardTest
class PortalAccessIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    PortalAccess access;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCommittedChangeDropsTheCopyWellWithinASecond() throws Exception {
        var tenant = TestTenants.create(context, "feed");
        PortalPrincipal principal = SignedIn.principal(jdbc, tenant.adminEmail());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!access.live() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(access.live()).as("the feed is live").isTrue();

        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean enable = i % 2 == 1;
            assertThat(access.refusal(principal)).isEqualTo(enable
                    ? java.util.Optional.of(AccessRefusal.DISABLED) : java.util.Optional.empty());
            assertThat(access.cached(principal.userId())).isTrue();
            jdbc.update("UPDATE portal_users SET enabled = ? WHERE id = ?", enable, principal.userId());
            long committed = System.nanoTime();
            while (access.cached(principal.userId()) && System.nanoTime() - committed < 1_000_000_000L) {
                Thread.onSpinWait();
            }
            micros.add((System.nanoTime() - committed) / 1_000);
            assertThat(access.cached(principal.userId())).as("dropped within a second").isFalse();
            principal = SignedIn.principal(jdbc, tenant.adminEmail());
        }
        Collections.sort(micros);
        System.out.println("Portal access copy dropped after commit: p50 " + micros.get(10) + " µs, max "
                + micros.get(19) + " µs");

        int rounds = 10_000;
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            access.refusal(principal);
        }
        long cachedNanos = (System.nanoTime() - started) / rounds;
        started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            access.refusalNow(principal);
        }
        long readNanos = (System.nanoTime() - started) / 200;
        System.out.println("Access check per request: " + cachedNanos + " ns from the copy, " + readNanos / 1000
                + " µs reading the row");
    }

    /**
     * Anyone in the database may NOTIFY any channel, a tenant's SQL login included: what it sends on the feed, a
     * well-formed eviction of a user it names or a malformed payload, drops no copy and leaves the feed trusted.
     */
    @Test
    void notificationsForgedByATenantsSqlLoginDropNoCopyAndLeaveTheFeedTrusted() throws Exception {
        var tenant = TestTenants.create(context, "forger");
        PortalPrincipal principal = SignedIn.principal(jdbc, tenant.adminEmail());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!access.live() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(access.refusal(principal)).isEqualTo(Optional.empty());
        assertThat(access.cached(principal.userId())).isTrue();
        long epoch = access.feedEpoch();
        long refused = access.refusedNotifications();

        List<String> forged = List.of("user:" + principal.userId(), "tenant:" + tenant.id(), "user:not-a-uuid",
                "garbage", "", "AAAA" + "A".repeat(200), "tenant:" + UUID.randomUUID());
        try (Connection forger = SqlLoginSessions.signIn(context, tenant);
             var notify = forger.prepareStatement("SELECT pg_notify('" + PortalAccess.CHANNEL + "', ?)")) {
            for (String payload : forged) {
                notify.setString(1, payload);
                notify.execute();
            }
        }
        while (access.refusedNotifications() < refused + forged.size() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(access.refusedNotifications()).as("each forged payload refused")
                .isEqualTo(refused + forged.size());
        assertThat(access.cached(principal.userId())).as("the copy stays").isTrue();
        assertThat(access.feedEpoch()).as("the feed stays trusted").isEqualTo(epoch);
    }
}
