package io.plugboard.bench;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditLog;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small tenant's SIEM polls the audit trail ({@code AuditLog.sealedAfter}, what {@code GET /api/v1/audit/events}
 * calls) while a big tenant has written {@value #OTHERS} newer events: a poll that has to pass over them and a
 * poll at the head (nothing new), with the index {@code audit_events_tenant_chain (tenant_id, chain_index)} and
 * without it. Prints the timings and the plans; asserts nothing about time. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
class AuditPullBenchmark {

    private static final int OTHERS = 100_000;
    private static final int OWN = 1_000;
    private static final int RUNS = 5;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;

    @Test
    void pollsPastAnotherTenantsBurstAndAtTheHead() {
        TestTenant small = TestTenants.create(context, "pull-small");
        TestTenant big = TestTenants.create(context, "pull-big");
        insert(small, OWN);
        SignedIn.as(jdbc, small.adminEmail());
        try {
            var filter = AuditFilter.forTenant(small.id());
            long beforeBurst = last(audit.sealedAfter(filter, 0, OWN + 100));
            insert(big, OTHERS);
            insert(small, OWN);
            long sealStarted = System.nanoTime();
            audit.verifyChain();
            System.out.printf(Locale.ROOT, "Audit pull: sealing and verifying %d events took %d ms%n", OTHERS + OWN,
                    (System.nanoTime() - sealStarted) / 1_000_000);
            long head = last(audit.sealedAfter(filter, beforeBurst, OWN));

            var superuser = DatabaseSuperuser.of(context);
            report("with (tenant_id, chain_index)", filter, beforeBurst, head);
            superuser.execute("DROP INDEX audit_events_tenant_chain");
            try {
                report("without it", filter, beforeBurst, head);
            } finally {
                superuser.execute("CREATE INDEX audit_events_tenant_chain ON audit_events (tenant_id, chain_index)");
            }
            report("with it again", filter, beforeBurst, head);
        } finally {
            SignedIn.out();
        }
    }

    private void report(String label, AuditFilter filter, long beforeBurst, long head) {
        var past = new ArrayList<Long>();
        var atHead = new ArrayList<Long>();
        for (int i = 0; i < RUNS; i++) {
            past.add(time(() -> audit.sealedAfter(filter, beforeBurst, 1000)));
            atHead.add(time(() -> audit.sealedAfter(filter, head, 1000)));
        }
        System.out.printf(Locale.ROOT, "Audit pull %s: past the burst (1,000 events) %s ms, at the head %s ms%n", label,
                past, atHead);
        for (long cursor : new long[] {beforeBurst, head}) {
            List<String> plan = jdbc.queryForList("""
                    EXPLAIN (ANALYZE, BUFFERS) SELECT e.* FROM audit_events e WHERE true AND e.tenant_id = ?
                    AND e.chain_index > ? ORDER BY e.chain_index ASC LIMIT 1000""", String.class,
                    filter.tenantId(), cursor);
            System.out.println("Audit pull plan " + label + " after " + cursor + ":\n  " + String.join("\n  ", plan));
        }
    }

    private static long time(Runnable poll) {
        long started = System.nanoTime();
        poll.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long last(List<AuditEvent> events) {
        Long position = events.getLast().chainIndex();
        if (position == null) {
            throw new IllegalStateException("unsealed event returned");
        }
        return position;
    }

    /** Plain inserts, as the audit log writes them; the poll seals them before it reads. */
    private void insert(TestTenant tenant, int count) {
        jdbc.update("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_label, tenant_id, action, details)
                SELECT date_trunc('milliseconds', now()), 'SYSTEM', 'system', 'System', ?, 'bench.pulled',
                       '{"i":' || i || '}'
                FROM generate_series(1, ?) AS i""", tenant.id(), count);
    }
}
