package io.plugboard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The export reads page by page, so a client that reads slowly holds no transaction open in the database. */
@PlugboardTest
class AuditExportPagingIT {

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void aStalledClientLeavesNoTransactionOpen() throws Exception {
        TestTenant tenant = TestTenants.create(context, "slow-export");
        insertEvents(tenant, 50);
        var stalled = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Long> export = client.submit(() -> {
                SignedIn.as(jdbc, tenant.adminEmail());
                try {
                    return audit.export(AuditFilter.forTenant(tenant.id()), "jsonl", event -> {
                        stalled.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } finally {
                    SignedIn.out();
                }
            });
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the export reached its first event").isTrue();
            Thread.sleep(1500);
            List<String> open = jdbc.queryForList("""
                    SELECT state || ': ' || left(query, 120) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND xact_start < clock_timestamp() - interval '1 second'""", String.class);
            release.countDown();
            assertThat(open).as("transactions older than the client's stall").isEmpty();
            assertThat(export.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50);
        } finally {
            release.countDown();
            client.shutdownNow();
        }
    }

    @Test
    void anExportLongerThanAPageIsCompleteInOrderAndVerifies() throws Exception {
        TestTenant tenant = TestTenants.create(context, "long-export");
        insertEvents(tenant, AuditEventStore.EXPORT_PAGE * 2 + 7);
        SignedIn.as(jdbc, tenant.adminEmail());
        List<Long> stored = jdbc.queryForList("SELECT seq FROM audit_events WHERE tenant_id = ? ORDER BY seq",
                Long.class, tenant.id());
        List<AuditEvent> events = new ArrayList<>();
        long count = audit.export(AuditFilter.forTenant(tenant.id()), "jsonl", events::add);

        assertThat(count).isEqualTo(events.size());
        assertThat(events).extracting(AuditEvent::seq).containsExactlyElementsOf(stored);
        var lines = String.join("\n", events.stream().map(AuditJsonLines::line).toList());
        var result = AuditExportVerifier.verify(new BufferedReader(new StringReader(lines)));
        assertThat(result.intact()).as(result.message()).isTrue();
    }

    /** Plain inserts, as the audit log writes them; the export seals them before it reads. */
    private void insertEvents(TestTenant tenant, int count) {
        jdbc.update("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_label, tenant_id, action, details)
                SELECT date_trunc('milliseconds', now()), 'SYSTEM', 'system', 'System', ?, 'test.paged',
                       '{"i":' || i || '}'
                FROM generate_series(1, ?) AS i""", tenant.id(), count);
    }
}
