package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The start-up check of the leakproof marks the searches' indexes need under row-level security. */
@PlugboardTest
class LeakproofCheckIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    DataSource dataSource;
    @Autowired
    RuntimeRoleConfiguration.LeakproofMarks atStart;

    @Test
    void theEmbeddedDatabaseHasEveryMarkAndAMissingOneIsNamed() {
        assertThat(atStart.missing()).isEmpty();
        var superuser = DatabaseSuperuser.of(context);
        superuser.execute("ALTER FUNCTION pg_catalog.texticlike(text, text) NOT LEAKPROOF");
        try {
            assertThat(LeakproofCheck.warnIfMissing(dataSource)).containsExactly("pg_catalog.texticlike(text, text)");
        } finally {
            superuser.execute("ALTER FUNCTION pg_catalog.texticlike(text, text) LEAKPROOF");
        }
        assertThat(LeakproofCheck.missing(dataSource)).isEmpty();
    }
}
