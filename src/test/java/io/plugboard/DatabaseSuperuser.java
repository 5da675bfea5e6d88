package io.plugboard;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded database's bootstrap superuser, for tests that play an attacker with full rights (tampering with
 * the audit trail, switching triggers off, adding a failing trigger). The application itself never connects so.
 */
public final class DatabaseSuperuser {

    private DatabaseSuperuser() {
    }

    public static JdbcTemplate of(ApplicationContext context) {
        return new JdbcTemplate(context.getBean(EmbeddedPostgres.class).getPostgresDatabase());
    }
}
