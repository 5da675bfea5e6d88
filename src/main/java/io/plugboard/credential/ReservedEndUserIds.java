package io.plugboard.credential;

import io.plugboard.security.TenantScope;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * End-user ids {@code tenant} and {@code tenant:…} are refused now ({@link Inputs#reservedEndUserId}); end users
 * stored before that are reported once at start-up, as counts per tenant, so an operator can ask those tenants to
 * move them. Nothing is changed and nothing audited: the rows are as they were. The one query that reads across
 * tenants on purpose: it is the operator's report, run by the system, and returns counts only.
 */
@Component
class ReservedEndUserIds {

    private static final Logger log = LoggerFactory.getLogger(ReservedEndUserIds.class);

    record PerTenant(String slug, long endUsers) {
    }

    private final JdbcTemplate jdbc;

    ReservedEndUserIds(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventListener(ApplicationReadyEvent.class)
    void reportAtStartUp() {
        List<PerTenant> found = find();
        if (!found.isEmpty()) {
            log.warn("{} end user(s) have an id reserved for tenant-wide API tokens (\"tenant\" or \"tenant:…\"); new "
                            + "connect sessions and imports for them are refused. Per tenant: {}",
                    found.stream().mapToLong(PerTenant::endUsers).sum(),
                    String.join(", ", found.stream().map(t -> t.slug() + "=" + t.endUsers()).toList()));
        }
    }

    /** Counts only; the same rule as {@link Inputs#reservedEndUserId}. */
    List<PerTenant> find() {
        return TenantScope.platform("a start-up report over every tenant's end users", () -> jdbc.query("""
                SELECT t.slug, count(*) AS n FROM end_users e JOIN tenants t ON t.id = e.tenant_id
                WHERE lower(btrim(e.external_id)) = 'tenant' OR lower(btrim(e.external_id)) LIKE 'tenant:%'
                GROUP BY t.slug ORDER BY t.slug""",
                (rs, n) -> new PerTenant(rs.getString("slug"), rs.getLong("n"))));
    }
}
