package io.plugboard.bench;

import io.plugboard.SignedIn;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.dashboard.DashboardOverview;
import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.DashboardService;
import io.plugboard.dashboard.RollUpEverything;
import io.plugboard.proxy.CallHistory;
import io.plugboard.security.PortalPrincipal;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboard at 1,000,000 credentials and 10,000,000 call-log rows: the whole page's reads through
 * {@link DashboardService} as a tenant admin and as a platform admin (all tenants), every statement they send
 * replayed on its own, the roll-up's catch-up over the ten million rows, the page with the roll-up an hour
 * behind, and the foundation dashboard's raw queries for comparison. Prints and writes
 * {@code target/benchmarks/dashboard.md}; asserts nothing about time.
 *
 * <pre>./mvnw test -Dtest=DashboardBenchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@CredentialBenchmarkApp
@Tag("benchmark")
class DashboardBenchmark {

    private static final int WARM_UP = 10;
    private static final int SAMPLES = 100;
    private static final int STATEMENT_SAMPLES = 50;
    private static final String PLATFORM_ADMIN = "platform@plugboard.local";

    @Autowired
    DashboardService dashboard;
    @Autowired
    CredentialService credentials;
    @Autowired
    CallHistory callHistory;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    TenantConnectors tenantConnectors;

    private record Measured(String name, Samples samples, String loadBefore, String loadAfter, String note) {
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void dashboardAtAMillionCredentialsAndTenMillionCalls() throws IOException {
        PortalPrincipal admin = SignedIn.as(jdbc, CredentialBenchmarkApp.ADMIN);
        UUID tenant = admin.tenantId();
        long credentialsMillis = MillionCredentials.ensure(jdbc, tenant);
        long dataMillis = DashboardData.ensure(jdbc, tenant);

        long rollupStart = System.nanoTime();
        long rolledUp = RollUpEverything.now(context);
        double rollupSeconds = (System.nanoTime() - rollupStart) / 1e9;
        System.out.printf(Locale.ROOT, "Roll-up catch-up: %,d calls in %.1f s%n", rolledUp, rollupSeconds);

        // Steady state: the job runs every minute, so the last minutes are read live.
        insertRecentCalls(tenant, 500, "2 minutes");
        var results = new ArrayList<Measured>();
        DashboardScope mine = DashboardScope.tenant(tenant);
        results.add(measure("page: overview, tenant (1M credentials, 9M calls)", () -> dashboard.overview(mine), SAMPLES, ""));
        results.add(measure("page: credentials needing a reconnect (50,000 in the tenant)",
                () -> dashboard.needingReconnect(tenant), SAMPLES, ""));
        results.add(measure("page: recent revocations (40,000 in the tenant)",
                () -> dashboard.recentlyRevoked(tenant), SAMPLES, ""));
        List<Measured> statements = statements("tenant", () -> {
            dashboard.overview(mine);
            dashboard.needingReconnect(tenant);
            return dashboard.recentlyRevoked(tenant);
        });
        DashboardOverview shown = dashboard.overview(mine);
        Long exactP95 = jdbc.queryForObject("""
                SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM proxy_calls
                WHERE tenant_id = ? AND created_at >= ?""", Long.class, tenant,
                OffsetDateTime.ofInstant(shown.since(), ZoneOffset.UTC));
        // Where the page's time goes besides its statements: the snapshot transaction, the connector names.
        var snapshot = new TransactionTemplate(transactionManager);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        results.add(measure("part: an empty read-only REPEATABLE READ transaction",
                () -> snapshot.execute(status -> jdbc.queryForObject("SELECT 1", Integer.class)), SAMPLES,
                "begin, one trivial statement, commit"));
        results.add(measure("part: the tenant's connector names (catalog and custom connectors)",
                () -> tenantConnectors.all(tenant), SAMPLES, "TenantConnectors.all"));

        SignedIn.as(jdbc, PLATFORM_ADMIN);
        results.add(measure("page: overview, all tenants", () -> dashboard.overview(DashboardScope.allTenants()),
                SAMPLES, ""));
        statements.addAll(statements("all tenants", () -> dashboard.overview(DashboardScope.allTenants())));

        // The roll-up an hour behind (the job stopped, or every instance was down): the last hour is read live.
        SignedIn.as(jdbc, CredentialBenchmarkApp.ADMIN);
        long hourOfCalls = DashboardData.CALLS / 30 / 24;
        insertRecentCalls(tenant, (int) hourOfCalls, "60 minutes");
        results.add(measure("page: overview, tenant, roll-up 1 hour behind (" + String.format("%,d", hourOfCalls)
                + " live rows)", () -> dashboard.overview(mine), SAMPLES, ""));
        RollUpEverything.now(context);

        // What the foundation's dashboard did on every visit, for comparison.
        results.add(measure("before: count(*) by status over the tenant's credentials", () -> credentials.countByStatus(tenant),
                20, "CredentialService.countByStatus"));
        results.add(measure("before: 24 h of raw calls with percentile_cont", () -> callHistory.last24Hours(tenant),
                20, "CallHistory.last24Hours"));

        String report = report(results, statements, shown, exactP95, credentialsMillis, dataMillis, rolledUp,
                rollupSeconds);
        System.out.println(report);
        Files.writeString(Machine.reportFile("dashboard.md"), report);
    }

    private void insertRecentCalls(UUID tenant, int rows, String span) {
        jdbc.update("""
                INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                                         bytes_out, retries, source, actor, request_id, created_at)
                SELECT ?, 'cred_bench_' || n, 'hubspot', 'GET', '/v1/items', CASE WHEN n % 20 = 0 THEN 503 ELSE 200 END,
                       50 + n % 400, 0, 100, 0, 'API', 'tenant:bench', 'req_bench_recent',
                       now() - (n::float8 / ?) * ?::interval
                FROM generate_series(1, ?) n""", tenant, rows, span, rows);
    }

    private static Measured measure(String name, Supplier<?> call, int samples, String note) {
        for (int i = 0; i < WARM_UP; i++) {
            call.get();
        }
        String before = Machine.load();
        var timings = new Samples(samples);
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            call.get();
            timings.add(System.nanoTime() - start);
        }
        var measured = new Measured(name, timings, before, Machine.load(), note);
        System.out.printf(Locale.ROOT, "%-70s p50 %8s  p95 %8s ms%n", name, Samples.ms(timings.percentileMillis(50)),
                Samples.ms(timings.percentileMillis(95)));
        return measured;
    }

    /** Every statement {@code action} sends, replayed {@link #STATEMENT_SAMPLES} times on its own. */
    private List<Measured> statements(String scope, Supplier<?> action) {
        var measured = new ArrayList<Measured>();
        for (SqlCapture.Statement statement : SqlCapture.capture(action)) {
            String sql = statement.sql().replaceAll("\\s+", " ").strip();
            if (sql.startsWith("SET") || sql.startsWith("SHOW") || sql.startsWith("select 1")) {
                continue;
            }
            List<String> plan = SqlCapture.run(jdbc, "EXPLAIN (ANALYZE, BUFFERS) ", statement);
            measured.add(measure(scope + ": " + abbreviate(sql), () -> SqlCapture.run(jdbc, "", statement),
                    STATEMENT_SAMPLES, planSummary(plan)));
        }
        return measured;
    }

    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    /** The plan's top node and its index, if any, and the execution time EXPLAIN ANALYZE measured. */
    private static String planSummary(List<String> plan) {
        String nodes = plan.stream().filter(l -> l.contains("Scan")).map(l -> l.strip().replaceAll("^->\\s*", "")
                .replaceAll("\\s+\\(cost.*", "")).distinct().reduce((a, b) -> a + "; " + b).orElse("");
        String time = plan.stream().map(EXECUTION::matcher).filter(Matcher::find).map(m -> m.group(1) + " ms")
                .findFirst().orElse("?");
        return nodes + " (EXPLAIN ANALYZE " + time + ")";
    }

    private static String abbreviate(String sql) {
        String s = sql.replaceAll("width_bucket\\(latency_ms, '\\{[0-9,]+}'::int\\[]\\)", "width_bucket(latency_ms, bounds)");
        return s.length() <= 150 ? s : s.substring(0, 147) + "…";
    }

    private String report(List<Measured> results, List<Measured> statements, DashboardOverview shown, Long exactP95,
                          long credentialsMillis, long dataMillis, long rolledUp, double rollupSeconds) {
        var md = new StringBuilder("# Dashboard queries at 1,000,000 credentials and 10,000,000 call-log rows\n\n");
        md.append("Generated by `DashboardBenchmark` at ").append(Instant.now()).append(".\n\n## Machine\n\n")
                .append(Machine.describe()).append('\n');
        md.append("- PostgreSQL: ").append(jdbc.queryForObject("SELECT version()", String.class)).append("\n");
        md.append("- Data: credentials ").append(credentialsMillis == 0 ? "present" : "generated in " + credentialsMillis / 1000 + " s")
                .append(", calls/sessions ").append(dataMillis == 0 ? "present" : "generated in " + dataMillis / 1000 + " s")
                .append("\n\n## Data\n\n");
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT 'proxy_calls' AS t, count(*) AS n, pg_size_pretty(pg_total_relation_size('proxy_calls')) AS size FROM proxy_calls
                UNION ALL SELECT 'credentials', count(*), pg_size_pretty(pg_total_relation_size('credentials')) FROM credentials
                UNION ALL SELECT 'connect_sessions', count(*), pg_size_pretty(pg_total_relation_size('connect_sessions')) FROM connect_sessions
                UNION ALL SELECT 'proxy_call_stats_hourly', count(*), pg_size_pretty(pg_total_relation_size('proxy_call_stats_hourly')) FROM proxy_call_stats_hourly
                UNION ALL SELECT 'proxy_call_stats_hourly_all', count(*), pg_size_pretty(pg_total_relation_size('proxy_call_stats_hourly_all')) FROM proxy_call_stats_hourly_all
                UNION ALL SELECT 'credential_counts', count(*), pg_size_pretty(pg_total_relation_size('credential_counts')) FROM credential_counts""")) {
            md.append(String.format(Locale.ROOT, "- %s: %,d rows, %s%n", row.get("t"), ((Number) row.get("n")).longValue(),
                    row.get("size")));
        }
        md.append(String.format(Locale.ROOT, "%nRoll-up catch-up over the call log: %,d calls in %.1f s (%,.0f calls/s).%n",
                rolledUp, rollupSeconds, rolledUp / Math.max(rollupSeconds, 0.001)));
        md.append(String.format(Locale.ROOT, "%nThe tenant's page showed: %,d active credentials, %,d proxy calls in the "
                        + "last 24 h, %.2f%% errors, p95 %s ms, %,d connect sessions started.%n",
                shown.credentialsByStatus().get(CredentialStatus.ACTIVE), shown.calls().calls(),
                shown.calls().errorRate() * 100, shown.calls().p95Ms().isPresent() ? shown.calls().p95Ms().getAsLong() : -1,
                shown.sessions().started()));
        md.append("Exact p95 of the same calls (percentile_disc over the raw rows): ").append(exactP95).append(" ms.\n");
        md.append("\n## Timings (ms, wall clock, warm; load = 1/5/15-min load average before → after)\n\n");
        md.append("| what | n | p50 | p95 | max | load | note |\n|---|---:|---:|---:|---:|---|---|\n");
        for (Measured m : results) {
            row(md, m);
        }
        md.append("\n## Every statement on its own (replayed with the values the page bound)\n\n");
        md.append("| statement | n | p50 | p95 | max | load | plan |\n|---|---:|---:|---:|---:|---|---|\n");
        for (Measured m : statements) {
            row(md, m);
        }
        return md.toString();
    }

    private static void row(StringBuilder md, Measured m) {
        md.append("| ").append(m.name().replace("|", "\\|")).append(" | ").append(m.samples().size())
                .append(" | ").append(Samples.ms(m.samples().percentileMillis(50)))
                .append(" | ").append(Samples.ms(m.samples().percentileMillis(95)))
                .append(" | ").append(Samples.ms(m.samples().maxMillis()))
                .append(" | ").append(m.loadBefore()).append(" → ").append(m.loadAfter())
                .append(" | ").append(m.note().replace("|", "\\|")).append(" |\n");
    }
}
