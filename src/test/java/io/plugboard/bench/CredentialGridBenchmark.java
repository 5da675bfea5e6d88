package io.plugboard.bench;

import io.plugboard.SignedIn;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.GridBookmarks;
import io.plugboard.security.PortalPrincipal;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The credentials grid's queries over a million rows, measured through the code the grid calls:
 * {@link CredentialService#list} (with {@link GridBookmarks}, as the grid calls it) and
 * {@link CredentialService#count} as a signed-in tenant admin. For
 * each scenario: warm-up, then at least 50 timed calls (p50/p95/max), and {@code EXPLAIN (ANALYZE,
 * BUFFERS)} of the very statement the call sent, replayed with the same bound values. Prints and writes
 * {@code target/benchmarks/credentials-grid.md}; asserts nothing about time.
 *
 * <pre>./mvnw test -Dtest=CredentialGridBenchmark -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@CredentialBenchmarkApp
@Tag("benchmark")
class CredentialGridBenchmark {

    private static final int WARM_UP = 15;
    private static final int SAMPLES = 100;
    private static final int SLOW_SAMPLES = 50;
    private static final double TARGET_P95_MS = 50;

    @Autowired
    CredentialService credentials;

    @Autowired
    JdbcTemplate jdbc;

    /**
     * One measured call. {@code after}: the page the grid fetched just before (its {@link GridBookmarks} know
     * that page's rows), as when scrolling; without it every call starts with nothing known (the first page, or
     * a jump).
     */
    private record Scenario(String name, CredentialFilter filter, Pageable page, boolean count,
                            @Nullable Pageable after) {

        Scenario(String name, CredentialFilter filter, Pageable page, boolean count) {
            this(name, filter, page, count, null);
        }
    }

    private record Result(Scenario scenario, Samples samples, long rows, String loadBefore, String loadAfter,
                          List<String> sql, List<List<String>> plans, List<List<String>> genericPlans) {
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void gridQueriesOverAMillionCredentials() throws IOException {
        PortalPrincipal admin = SignedIn.as(jdbc, CredentialBenchmarkApp.ADMIN);
        UUID tenant = admin.tenantId();
        long generatedMillis = MillionCredentials.ensure(jdbc, tenant);

        var results = new ArrayList<Result>();
        for (Scenario scenario : scenarios()) {
            results.add(measure(tenant, scenario));
        }
        String report = report(results, generatedMillis);
        System.out.println(report);
        Files.writeString(Machine.reportFile("credentials-grid.md"), report);
    }

    private static List<Scenario> scenarios() {
        var none = CredentialFilter.none();
        var first = PageRequest.of(0, 50);
        var oldestFirst = PageRequest.of(0, 50, Sort.by(Sort.Direction.ASC, "createdAt"));
        var deep = PageRequest.of(4_999, 50);
        var deepAbove = PageRequest.of(4_998, 50);
        var deepJumpedNear = PageRequest.of(4_990, 50);
        var activeHubspotDeep = PageRequest.of(300, 50);
        var failingHubspot = filter("hubspot", CredentialStatus.REFRESH_FAILED, null, null, null, null);
        var activeHubspot = filter("hubspot", CredentialStatus.ACTIVE, null, null, null, null);
        var venue = filter(null, null, null, "venue", "Venue 42", null);
        var textEndUser = filter(null, null, null, null, null, "user-004217");
        var textLabel = filter(null, null, null, null, null, "Hubspot");
        var textNothing = filter(null, null, null, null, null, "no-such-thing");
        var textSomeUsers = filter(null, null, null, null, null, "End User 42");
        var textManyUsers = filter(null, null, null, null, null, "user-00");
        var endUser = filter(null, null, "user-004217", null, null, null);
        var lastMonth = new CredentialFilter(null, null, null, null, null,
                Instant.now().minus(Duration.ofDays(30)), null, null);
        return List.of(
                new Scenario("first page (50 rows, newest first)", none, first, false),
                new Scenario("first page, sorted oldest first", none, oldestFirst, false),
                new Scenario("page 5,000 (offset 249,950), nothing known: a jump", none, deep, false),
                new Scenario("page 2,000 (offset 99,950), nothing known: the deepest jump the grid can make",
                        none, PageRequest.of(1_999, 50), false),
                new Scenario("page 5,000 scrolled to from page 4,999", none, deep, false, deepAbove),
                new Scenario("page 4,999 scrolled back to from page 5,000", none, deepAbove, false, deep),
                new Scenario("page 5,000, 400 rows past page 4,991", none, deep, false, deepJumpedNear),
                new Scenario("connector + status: hubspot, REFRESH_FAILED", failingHubspot, first, false),
                new Scenario("connector + status: hubspot, ACTIVE", activeHubspot, first, false),
                new Scenario("hubspot, ACTIVE: page 301, nothing known", activeHubspot, activeHubspotDeep, false),
                new Scenario("hubspot, ACTIVE: page 301 scrolled to from page 300", activeHubspot, activeHubspotDeep,
                        false, PageRequest.of(299, 50)),
                new Scenario("metadata: venue = \"Venue 42\"", venue, first, false),
                new Scenario("free text: end-user id \"user-004217\"", textEndUser, first, false),
                new Scenario("free text: \"Hubspot\" (many label matches)", textLabel, first, false),
                new Scenario("free text: no match", textNothing, first, false),
                new Scenario("free text: \"End User 42\" (1,111 end users)", textSomeUsers, first, false),
                new Scenario("free text: \"user-00\" (9,999 end users)", textManyUsers, first, false),
                new Scenario("end-user filter: user-004217", endUser, first, false),
                new Scenario("created in the last 30 days", lastMonth, first, false),
                new Scenario("count, capped at COUNT_CAP: no filter", none, first, true),
                new Scenario("count: hubspot, REFRESH_FAILED", failingHubspot, first, true),
                new Scenario("count: hubspot, ACTIVE", activeHubspot, first, true),
                new Scenario("count: venue = \"Venue 42\"", venue, first, true),
                new Scenario("count: free text \"user-004217\"", textEndUser, first, true),
                new Scenario("count: free text no match", textNothing, first, true),
                new Scenario("count: free text \"Hubspot\"", textLabel, first, true),
                new Scenario("count: free text \"End User 42\"", textSomeUsers, first, true),
                new Scenario("count: free text \"user-00\"", textManyUsers, first, true),
                new Scenario("count: created in the last 30 days", lastMonth, first, true));
    }

    private static CredentialFilter filter(String appKey, CredentialStatus status, String endUser, String key,
                                           String value, String text) {
        return new CredentialFilter(appKey, status, endUser, key, value, null, null, text);
    }

    private Result measure(UUID tenant, Scenario scenario) {
        // As the grid calls it: with the grid's bookmarks. Primed with the page fetched before, or fresh each time.
        var scrolled = new GridBookmarks();
        if (scenario.after() != null) {
            credentials.list(tenant, scenario.filter(), scenario.after(), scrolled);
        }
        Supplier<GridBookmarks> bookmarks = () -> scenario.after() != null ? scrolled : new GridBookmarks();
        Supplier<Long> call = scenario.count()
                ? () -> credentials.count(tenant, scenario.filter())
                : () -> (long) credentials.list(tenant, scenario.filter(), scenario.page(), bookmarks.get()).size();
        String loadBefore = Machine.load();
        var warmUp = new Samples(WARM_UP);
        long rows = 0;
        for (int i = 0; i < WARM_UP; i++) {
            long start = System.nanoTime();
            rows = call.get();
            warmUp.add(System.nanoTime() - start);
        }
        int n = warmUp.percentileMillis(50) > 100 ? SLOW_SAMPLES : SAMPLES;
        var samples = new Samples(n);
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            call.get();
            samples.add(System.nanoTime() - start);
        }
        String loadAfter = Machine.load();

        var statements = SqlCapture.capture(call).stream().filter(s -> s.sql().contains("credentials")).toList();
        var sql = new ArrayList<String>();
        var plans = new ArrayList<List<String>>();
        var generic = new ArrayList<List<String>>();
        for (SqlCapture.Statement statement : statements) {
            sql.add(statement.sql());
            List<String> plan = List.of();
            for (int i = 0; i < 3; i++) {
                plan = SqlCapture.run(jdbc, "EXPLAIN (ANALYZE, BUFFERS) ", statement);
            }
            plans.add(plan);
            generic.add(SqlCapture.explainGeneric(jdbc, statement));
        }
        System.out.printf(Locale.ROOT, "%-48s rows %7d  p50 %8s  p95 %8s  max %8s ms  (n=%d, load %s -> %s)%n",
                scenario.name(), rows, Samples.ms(samples.percentileMillis(50)),
                Samples.ms(samples.percentileMillis(95)), Samples.ms(samples.maxMillis()), n, loadBefore, loadAfter);
        return new Result(scenario, samples, rows, loadBefore, loadAfter, sql, plans, generic);
    }

    private String report(List<Result> results, long generatedMillis) {
        var md = new StringBuilder("# Credentials grid queries over 1,000,000 rows\n\n");
        md.append("Generated by `CredentialGridBenchmark` at ").append(Instant.now()).append(".\n\n");
        md.append("## Machine\n\n").append(Machine.describe()).append('\n');
        md.append("- PostgreSQL: ").append(jdbc.queryForObject("SELECT version()", String.class)).append('\n');
        md.append("- Settings: ").append(String.join(", ", jdbc.queryForList("""
                SELECT name || '=' || setting || COALESCE(unit, '') FROM pg_settings
                WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit',
                               'max_parallel_workers_per_gather', 'plan_cache_mode') ORDER BY name""", String.class)))
                .append("\n");
        md.append("- Data: ").append(generatedMillis == 0 ? "already present (generated by an earlier run)"
                : "generated in " + generatedMillis / 1000 + " s by this run").append("\n\n");

        md.append("## Data\n\n");
        md.append(table(jdbc.queryForList("""
                SELECT 'credentials' AS "table", count(*)::text AS rows,
                       pg_size_pretty(pg_relation_size('credentials')) AS heap,
                       pg_size_pretty(pg_total_relation_size('credentials')) AS "with indexes and TOAST"
                FROM credentials
                UNION ALL
                SELECT 'end_users', count(*)::text, pg_size_pretty(pg_relation_size('end_users')),
                       pg_size_pretty(pg_total_relation_size('end_users')) FROM end_users""")));
        md.append('\n').append(table(jdbc.queryForList("""
                SELECT status, count(*) AS rows, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent,
                       round(avg(octet_length(secret))) AS "avg secret bytes"
                FROM credentials GROUP BY status ORDER BY rows DESC""")));
        md.append('\n').append(table(jdbc.queryForList("""
                SELECT count(DISTINCT app_key) AS connectors, count(DISTINCT end_user_id) AS "end users with credentials",
                       count(*) FILTER (WHERE metadata ? 'venue') AS "rows with venue",
                       count(DISTINCT metadata ->> 'venue') AS venues,
                       min(created_at)::date AS "oldest", max(created_at)::date AS "newest"
                FROM credentials""".replace("metadata ? 'venue'", "metadata ?? 'venue'"))));

        md.append("\n## Indexes\n\n");
        md.append(table(jdbc.queryForList("""
                SELECT c.relname AS index, pg_size_pretty(pg_relation_size(c.oid)) AS size,
                       pg_get_indexdef(c.oid) AS definition
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid IN ('credentials'::regclass, 'end_users'::regclass)
                ORDER BY i.indrelid::regclass::text, c.relname""")));

        md.append("\n## Timings (ms, wall clock through CredentialService, warm)\n\n");
        md.append("Target: every page query ≤ ").append((int) TARGET_P95_MS).append(" ms at p95. ")
                .append(WARM_UP).append(" warm-up calls, then the samples. Load = 1/5/15-minute load average "
                        + "before → after the samples.\n\n");
        md.append("| query | rows | n | p50 | p95 | max | EXPLAIN ms: custom plan / generic plan | target | load before → after |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Result r : results) {
            double p95 = r.samples().percentileMillis(95);
            String target = r.scenario().count() ? "(count)" : p95 <= TARGET_P95_MS ? "met" : "**missed**";
            md.append("| ").append(r.scenario().name()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.rows()))
                    .append(" | ").append(r.samples().size())
                    .append(" | ").append(Samples.ms(r.samples().percentileMillis(50)))
                    .append(" | ").append(Samples.ms(p95))
                    .append(" | ").append(Samples.ms(r.samples().maxMillis()))
                    .append(" | ").append(String.join(" + ", r.plans().stream().map(CredentialGridBenchmark::executionTime).toList()))
                    .append(" / ").append(String.join(" + ", r.genericPlans().stream().map(CredentialGridBenchmark::executionTime).toList()))
                    .append(" | ").append(target)
                    .append(" | ").append(r.loadBefore()).append(" → ").append(r.loadAfter()).append(" |\n");
        }

        md.append("\n## Plans\n\nEach statement exactly as `CredentialStore` sent it, then `EXPLAIN (ANALYZE, BUFFERS)` "
                + "with the same bound values (third run), then, for comparison, the generic plan "
                + "PostgreSQL could switch to if the driver server-prepared the statement (`PREPARE` + `EXPLAIN (ANALYZE, "
                + "BUFFERS) EXECUTE` under `plan_cache_mode = force_generic_plan`, same values; CredentialStore keeps "
                + "these statements unnamed, so they are always planned for their values).\n");
        for (Result r : results) {
            md.append("\n### ").append(r.scenario().name()).append("\n");
            for (int i = 0; i < r.sql().size(); i++) {
                md.append("\n```sql\n").append(r.sql().get(i)).append("\n```\n\n```\n")
                        .append(String.join("\n", r.plans().get(i))).append("\n```\n\nGeneric plan:\n\n```\n")
                        .append(String.join("\n", r.genericPlans().get(i))).append("\n```\n");
            }
        }
        return md.toString();
    }

    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    private static String executionTime(List<String> plan) {
        for (String line : plan) {
            Matcher m = EXECUTION.matcher(line);
            if (m.find()) {
                return Samples.ms(Double.parseDouble(m.group(1)));
            }
        }
        return "?";
    }

    private static String table(List<java.util.Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "(none)\n";
        }
        var md = new StringBuilder("| ").append(String.join(" | ", rows.getFirst().keySet())).append(" |\n|");
        rows.getFirst().keySet().forEach(k -> md.append("---|"));
        md.append('\n');
        for (var row : rows) {
            md.append("| ").append(String.join(" | ", row.values().stream().map(String::valueOf)
                    .map(v -> v.replace("|", "\\|")).toList())).append(" |\n");
        }
        return md.toString();
    }
}
