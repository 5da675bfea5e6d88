package io.plugboard.database;

import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Says at start-up which of the functions Plugboard's searches need marked leakproof are not
 * ({@link EmbeddedDatabaseRoles#LEAKPROOF}). Without the mark, row-level security keeps PostgreSQL from using their
 * indexes: every credential search reads the whole tenant (0.5–1.5 s at a million credentials against 2–17 ms,
 * docs/benchmarks-credentials.md). Plugboard marks them on its embedded database; on an external one only a
 * superuser can, so this warns rather than refuses to start.
 */
final class LeakproofCheck {

    private static final Logger log = LoggerFactory.getLogger(LeakproofCheck.class);

    private LeakproofCheck() {
    }

    /** The functions of {@link EmbeddedDatabaseRoles#LEAKPROOF} not marked leakproof in this database. */
    static List<String> missing(DataSource dataSource) {
        var jdbc = new JdbcTemplate(dataSource);
        return EmbeddedDatabaseRoles.LEAKPROOF.stream()
                .filter(function -> !Boolean.TRUE.equals(jdbc.queryForObject(
                        "SELECT proleakproof FROM pg_proc WHERE oid = ?::regprocedure", Boolean.class, function)))
                .toList();
    }

    static List<String> warnIfMissing(DataSource dataSource) {
        List<String> missing = missing(dataSource);
        if (!missing.isEmpty()) {
            log.warn("Searches will read whole tenants: row-level security lets PostgreSQL use their indexes only for "
                    + "leakproof functions, and these are not marked. As a superuser, run: {} (docs/operations.md, "
                    + "\"Database roles\")", String.join(" ", missing.stream()
                            .map(f -> "ALTER FUNCTION " + f + " LEAKPROOF;").toList()));
        }
        return missing;
    }
}
