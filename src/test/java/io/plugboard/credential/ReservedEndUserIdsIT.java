package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** End users stored with a reserved id before the rule existed are reported at start-up: counts, nothing else. */
@PlugboardTest
@ExtendWith(OutputCaptureExtension.class)
class ReservedEndUserIdsIT {

    @Autowired
    ReservedEndUserIds report;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @Test
    void reservedIdsAreCountedPerTenantAndWarnedAboutWithoutAnAudit(CapturedOutput output) {
        var tenant = TestTenants.create(context, "reserved");
        // Rows as an older version stored them, before the API refused such ids.
        for (String id : new String[] {"tenant", "TENANT:legacy", "Tenant:x", "tenants", "tenantx", "my-tenant"}) {
            jdbc.update("INSERT INTO end_users (id, tenant_id, external_id, created_at) VALUES (?, ?, ?, ?)",
                    UUID.randomUUID(), tenant.id(), id, OffsetDateTime.now());
        }
        String audit = "SELECT count(*) FROM audit_events WHERE tenant_id = ?";
        int audited = jdbc.queryForObject(audit, Integer.class, tenant.id());

        assertThat(report.find()).contains(new ReservedEndUserIds.PerTenant(tenant.slug(), 3));
        report.reportAtStartUp();

        String warning = output.getOut().lines().filter(l -> l.contains("reserved for tenant-wide API tokens"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(warning).contains("WARN").contains(tenant.slug() + "=3").doesNotContain("legacy");
        assertThat(jdbc.queryForObject(audit, Integer.class, tenant.id())).isEqualTo(audited);
    }
}
