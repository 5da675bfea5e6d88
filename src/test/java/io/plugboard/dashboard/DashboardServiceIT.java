package io.plugboard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.common.NotFoundException;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.dashboard.DashboardOverview.ConnectorCredentials;
import io.plugboard.dashboard.DashboardOverview.HourlyCalls;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * The dashboard's numbers against direct SQL over the raw tables, for a tenant seeded with a known mix of
 * credentials, sessions, calls (some rolled up, some not yet) and refresh failures — next to a second tenant
 * with data of its own that must never be counted for the first.
 */
@PlugboardTest
class DashboardServiceIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DashboardService dashboard;
    @Autowired
    CallStatsRollup rollup;

    private TestTenant a;
    private TestTenant b;
    private final Instant now = Instant.now();

    @BeforeEach
    void twoTenantsWithData() {
        a = TestTenants.create(context, "dash");
        b = TestTenants.create(context, "dash");
        var dataA = new DashboardFixture(jdbc, a.id());
        var dataB = new DashboardFixture(jdbc, b.id());

        for (int i = 0; i < 5; i++) {
            dataA.credential("roller", "Roller " + i);
        }
        List<String> stripe = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stripe.add(dataA.credential("stripe", null));
        }
        dataA.refreshFailed(stripe.get(0), now.minus(Duration.ofHours(2)));
        // A failed credential retried and refused again: the same failure, not a new one.
        dataA.refreshFailed(stripe.get(0), now.minus(Duration.ofHours(1)));
        dataA.refreshFailed(stripe.get(1), now.minus(Duration.ofDays(3)));
        // Recovered, then failed again: two failures.
        dataA.recovered(stripe.get(1));
        dataA.refreshFailed(stripe.get(1), now.minus(Duration.ofMinutes(30)));
        dataA.revoked(stripe.get(2), now.minus(Duration.ofHours(5)), "admin@dash.example");
        dataA.expired(stripe.get(3));
        dataA.refreshFailed(dataA.credential("followupboss", null), now.minus(Duration.ofDays(40)));

        dataA.session(now.minus(Duration.ofHours(1)), true);
        dataA.session(now.minus(Duration.ofHours(3)), true);
        dataA.session(now.minus(Duration.ofHours(20)), false);
        dataA.session(now.minus(Duration.ofHours(30)), true);

        // Calls over eight days; the older half is rolled up before the newer half is logged.
        long lastOld = 0;
        for (int i = 0; i < 60; i++) {
            Instant at = now.minus(Duration.ofMinutes(i * 150L + 11));
            int status = i % 10 == 0 ? 503 : i % 7 == 0 ? 404 : i % 13 == 0 ? 0 : 200;
            long id = dataA.call(at, status, 5 + (i * 37) % 900);
            if (i >= 30) {
                lastOld = Math.max(lastOld, id);
            }
        }
        dataA.call(now.minus(Duration.ofDays(8)), 200, 10);
        rollup.rollUpThrough(lastOld);
        for (int i = 0; i < 15; i++) {
            dataA.call(now.minus(Duration.ofMinutes(i * 3L)), i % 5 == 0 ? 500 : 201, 40 + i);
        }

        // Tenant B: more of everything, none of which may show up for A.
        for (int i = 0; i < 7; i++) {
            String id = dataB.credential("stripe", null);
            dataB.refreshFailed(id, now.minus(Duration.ofHours(i + 1)));
        }
        for (int i = 0; i < 5; i++) {
            dataB.session(now.minus(Duration.ofHours(i)), true);
            dataB.call(now.minus(Duration.ofMinutes(i * 50L)), 500, 9_000);
        }
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void aTenantsNumbersEqualDirectCountsOfItsOwnRows() {
        SignedIn.as(jdbc, a.adminEmail());
        DashboardOverview o = dashboard.overview(DashboardScope.tenant(a.id()));

        assertThat(o.credentialsByStatus()).isEqualTo(statusCounts("WHERE tenant_id = ?", a.id()))
                .containsEntry(CredentialStatus.ACTIVE, 5L).containsEntry(CredentialStatus.REFRESH_FAILED, 3L)
                .containsEntry(CredentialStatus.REVOKED, 1L).containsEntry(CredentialStatus.EXPIRED, 1L);
        assertThat(o.credentialsPerConnector()).extracting(ConnectorCredentials::appKey)
                .containsExactly("roller", "stripe", "followupboss");
        for (ConnectorCredentials c : o.credentialsPerConnector()) {
            assertThat(new long[] {c.active(), c.needsReconnect(), c.expired(), c.revoked()}).as(c.appKey())
                    .containsExactly(connectorCounts(a, c.appKey()));
        }
        assertThat(o.credentialsPerConnector().getFirst().name()).isEqualTo("ROLLER");

        assertThat(o.since()).isEqualTo(o.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(24)));
        assertThat(o.sessions().started()).isEqualTo(count("SELECT count(*) FROM connect_sessions WHERE tenant_id = ? "
                + "AND created_at >= ?", a.id(), DashboardFixture.utc(o.since()))).isEqualTo(3);
        assertThat(o.sessions().completed()).isEqualTo(count("SELECT count(*) FROM connect_sessions WHERE tenant_id = ? "
                + "AND created_at >= ? AND status = 'COMPLETED'", a.id(), DashboardFixture.utc(o.since()))).isEqualTo(2);

        var calls = o.calls();
        String window = "FROM proxy_calls WHERE tenant_id = ? AND created_at >= ?";
        Object[] args = {a.id(), DashboardFixture.utc(o.since())};
        assertThat(calls.calls()).isEqualTo(count("SELECT count(*) " + window, args)).isPositive();
        assertThat(calls.ok()).isEqualTo(count("SELECT count(*) " + window + " AND status BETWEEN 100 AND 399", args));
        assertThat(calls.clientErrors()).isEqualTo(count("SELECT count(*) " + window + " AND status BETWEEN 400 AND 499", args));
        assertThat(calls.errors()).isEqualTo(count("SELECT count(*) " + window + " AND (status >= 500 OR status < 100)", args))
                .isPositive();
        long exactP95 = count("SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) " + window, args);
        assertThat(calls.p95Ms()).isPresent();
        assertThat(LatencyHistogram.bucketOf(calls.p95Ms().getAsLong()))
                .as("estimate %d ms in the bucket of the exact p95 %d ms", calls.p95Ms().getAsLong(), exactP95)
                .isEqualTo(LatencyHistogram.bucketOf(exactP95));

        assertThat(o.callsPerHour()).hasSize(DashboardService.CALL_CHART_HOURS);
        assertThat(o.callsPerHour().getLast().hour()).isEqualTo(o.now().truncatedTo(ChronoUnit.HOURS));
        Map<Instant, long[]> perHour = new TreeMap<>();
        jdbc.query("""
                SELECT date_trunc('hour', created_at, 'UTC'), count(*) FILTER (WHERE status BETWEEN 100 AND 399),
                       count(*) FILTER (WHERE status BETWEEN 400 AND 499), count(*) FILTER (WHERE status NOT BETWEEN 100 AND 499)
                FROM proxy_calls WHERE tenant_id = ? AND created_at >= ? GROUP BY 1""", rs -> {
                    perHour.put(rs.getObject(1, OffsetDateTime.class).toInstant(),
                            new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }, a.id(), DashboardFixture.utc(o.callsPerHour().getFirst().hour()));
        for (HourlyCalls h : o.callsPerHour()) {
            assertThat(new long[] {h.ok(), h.clientErrors(), h.errors()}).as(h.hour().toString())
                    .containsExactly(perHour.getOrDefault(h.hour(), new long[3]));
        }
        assertThat(o.callsPerHour().stream().mapToLong(HourlyCalls::total).sum())
                .as("the call eight days ago is outside the chart").isEqualTo(75);

        assertThat(o.refreshFailures()).as("stripe 0 once, stripe 1 once more after recovering").isEqualTo(2);
        assertThat(o.refreshFailuresPerDay()).hasSize(DashboardService.FAILURE_CHART_DAYS);
        assertThat(o.refreshFailuresPerDay().getLast().day()).isEqualTo(LocalDate.ofInstant(o.now(), ZoneOffset.UTC));
        Map<LocalDate, Long> expected = new TreeMap<>();
        for (Instant failure : List.of(now.minus(Duration.ofHours(2)), now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofMinutes(30)))) {
            expected.merge(LocalDate.ofInstant(failure, ZoneOffset.UTC), 1L, Long::sum);
        }
        assertThat(o.refreshFailuresPerDay().stream().filter(d -> d.count() > 0)
                .collect(Collectors.toMap(DashboardOverview.DailyCount::day, DashboardOverview.DailyCount::count)))
                .as("the failure 40 days ago is outside the chart").isEqualTo(expected);

        assertThat(o.tiles()).extracting(Tile::label).contains("Active credentials", "Credentials by status",
                "Connect sessions started", "Proxy calls", "Error rate", "p95 latency", "Refresh failures");
        assertThat(o.tiles()).filteredOn(t -> t.label().equals("Refresh failures")).singleElement()
                .extracting(Tile::value).isEqualTo("2");
    }

    @Test
    void theListsHoldTheTenantsOwnCredentialsOnly() {
        SignedIn.as(jdbc, a.adminEmail());

        List<CredentialAlert> needing = dashboard.needingReconnect(a.id());
        assertThat(needing).hasSize(3).allSatisfy(alert -> assertThat(status(alert.credentialId())).isEqualTo("REFRESH_FAILED"));
        assertThat(needing).extracting(CredentialAlert::at).as("most recent failure first")
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(needing.getFirst().connectorName()).isEqualTo("Stripe");
        List<CredentialAlert> revoked = dashboard.recentlyRevoked(a.id());
        assertThat(revoked).singleElement().satisfies(r -> {
            assertThat(r.by()).isEqualTo("admin@dash.example");
            assertThat(status(r.credentialId())).isEqualTo("REVOKED");
        });
        assertThat(jdbc.queryForList("SELECT tenant_id FROM credentials WHERE id IN (?, ?, ?, ?)", UUID.class,
                needing.get(0).credentialId(), needing.get(1).credentialId(), needing.get(2).credentialId(),
                revoked.getFirst().credentialId())).containsOnly(a.id());
    }

    @Test
    void anotherTenantsNumbersAndListsAreRefusedAsNotFound() {
        SignedIn.as(jdbc, a.adminEmail());
        assertThatThrownBy(() -> dashboard.overview(DashboardScope.tenant(b.id()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dashboard.needingReconnect(b.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dashboard.recentlyRevoked(b.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dashboard.overview(DashboardScope.allTenants())).isInstanceOf(AccessDeniedException.class);
        assertThat(dashboard.initialScope()).contains(DashboardScope.tenant(a.id()));
        assertThat(dashboard.mayChooseTenant()).isFalse();
    }

    @Test
    void customerSuccessWithoutATenantSwitchSeesNoNumbers() {
        SignedIn.as(jdbc, "support@plugboard.local");
        assertThat(dashboard.initialScope()).isEmpty();
        assertThatThrownBy(() -> dashboard.overview(DashboardScope.allTenants())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> dashboard.overview(DashboardScope.tenant(a.id()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void platformStaffSeeAnyTenantsNumbersButNoTenantsLists() {
        SignedIn.as(jdbc, "platform@plugboard.local");
        assertThat(dashboard.initialScope()).contains(DashboardScope.allTenants());
        DashboardOverview forB = dashboard.overview(DashboardScope.tenant(b.id()));
        assertThat(forB.credentialsByStatus()).containsEntry(CredentialStatus.REFRESH_FAILED, 7L)
                .containsEntry(CredentialStatus.ACTIVE, 0L);
        assertThat(forB.refreshFailures()).isEqualTo(7);
        assertThat(forB.calls().calls()).isEqualTo(5);
        assertThat(forB.calls().errors()).isEqualTo(5);
        assertThatThrownBy(() -> dashboard.needingReconnect(b.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void allTenantsTogetherEqualDirectCountsOverEveryTenant() {
        SignedIn.as(jdbc, "platform@plugboard.local");
        // Other tests and background jobs change credentials meanwhile; two reads in a row agree almost always.
        Map<CredentialStatus, Long> direct = Map.of();
        DashboardOverview all = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            direct = statusCounts("");
            all = dashboard.overview(DashboardScope.allTenants());
            if (all.credentialsByStatus().equals(direct)) {
                break;
            }
        }
        assertThat(all.credentialsByStatus()).as("the trigger-kept counts match count(*) over all credentials")
                .isEqualTo(direct);
        assertThat(all.credentialsPerConnector()).extracting(ConnectorCredentials::appKey).doesNotContainNull();
        // The call log is written in the background: count before and after, the dashboard's number lies between.
        Object since = DashboardFixture.utc(all.since());
        long before = count("SELECT count(*) FROM proxy_calls WHERE created_at >= ?", since);
        long shown = dashboard.overview(DashboardScope.allTenants()).calls().calls();
        long after = count("SELECT count(*) FROM proxy_calls WHERE created_at >= ?", since);
        assertThat(shown).isBetween(before, after);
        SignedIn.as(jdbc, a.adminEmail());
        DashboardOverview onlyA = dashboard.overview(DashboardScope.tenant(a.id()));
        assertThat(all.calls().calls()).isGreaterThan(onlyA.calls().calls());
        assertThat(onlyA.calls().p95Ms()).isNotEqualTo(OptionalLong.empty());
    }

    // ------------------------------------------------------------------ helpers

    private Map<CredentialStatus, Long> statusCounts(String where, Object... args) {
        var counts = new EnumMap<CredentialStatus, Long>(CredentialStatus.class);
        for (CredentialStatus s : CredentialStatus.values()) {
            counts.put(s, 0L);
        }
        jdbc.query("SELECT status, count(*) FROM credentials " + where + " GROUP BY status",
                rs -> {
                    counts.put(CredentialStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, args);
        return counts;
    }

    private long[] connectorCounts(TestTenant tenant, String appKey) {
        Map<CredentialStatus, Long> counts = statusCounts("WHERE tenant_id = ? AND app_key = ?", tenant.id(), appKey);
        return new long[] {counts.get(CredentialStatus.ACTIVE), counts.get(CredentialStatus.REFRESH_FAILED),
                counts.get(CredentialStatus.EXPIRED), counts.get(CredentialStatus.REVOKED)};
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private String status(String credentialId) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credentialId);
    }
}
