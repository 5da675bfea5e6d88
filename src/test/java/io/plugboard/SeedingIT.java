package io.plugboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;

@PlugboardTest
class SeedingIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    java.util.List<ApplicationRunner> runners;

    @Test
    void firstStartSeedsTheDemoTenantAndStaff() {
        assertThat(jdbc.queryForObject("SELECT name FROM tenants WHERE slug = 'demo'", String.class))
                .isEqualTo("Demo Realty");
        assertThat(jdbc.queryForList("SELECT email || ':' || role FROM portal_users ORDER BY email", String.class))
                .contains("admin@demo.local:TENANT_ADMIN", "auditor@demo.local:AUDITOR",
                        "platform@plugboard.local:PLATFORM_ADMIN", "support@plugboard.local:SUPPORT");
        assertThat(jdbc.queryForObject("SELECT client_id FROM tenants WHERE slug = 'demo'", String.class))
                .isEqualTo(PlugboardTest.DEMO_CLIENT_ID);
    }

    @Test
    void seedingAgainChangesNothing() throws Exception {
        long users = count("portal_users");
        long tenants = count("tenants");
        long events = count("audit_events");
        ApplicationArguments args = new DefaultApplicationArguments();
        for (ApplicationRunner runner : runners) {
            runner.run(args);
        }
        assertThat(count("portal_users")).isEqualTo(users);
        assertThat(count("tenants")).isEqualTo(tenants);
        assertThat(count("audit_events")).isEqualTo(events);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }
}
