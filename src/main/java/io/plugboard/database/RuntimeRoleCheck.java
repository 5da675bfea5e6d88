package io.plugboard.database;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refuses a runtime role that row-level security and the audit trail's grants cannot hold back: a superuser, a
 * role that bypasses row-level security, or one that owns (or has the rights of the owner of) a table in the
 * schema. Whoever insists can allow it; every start then says so loudly.
 */
final class RuntimeRoleCheck {

    private static final Logger log = LoggerFactory.getLogger(RuntimeRoleCheck.class);

    record Privileges(String role, boolean superuser, boolean bypassesRowSecurity, long tablesOwned) {

        boolean privileged() {
            return superuser || bypassesRowSecurity || tablesOwned > 0;
        }

        String describe() {
            return superuser ? "is a superuser"
                    : bypassesRowSecurity ? "bypasses row-level security"
                    : "owns " + tablesOwned + " of Plugboard's tables (or has its owner's rights)";
        }
    }

    private RuntimeRoleCheck() {
    }

    static Privileges privileges(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForObject("""
                SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                       (SELECT count(*) FROM pg_class c
                        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
                          AND pg_has_role(r.oid, c.relowner, 'USAGE'))
                FROM pg_roles r WHERE r.rolname = current_user""",
                (rs, n) -> new Privileges(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getLong(4)));
    }

    static Privileges verify(DataSource dataSource, boolean allowPrivileged) {
        Privileges privileges = privileges(dataSource);
        if (!privileges.privileged()) {
            return privileges;
        }
        String problem = "The database role Plugboard runs as (" + privileges.role() + ") " + privileges.describe()
                + ": row-level security and the append-only audit trail do not hold it back.";
        if (!allowPrivileged) {
            throw new IllegalStateException(problem + " Connect as a runtime role that owns nothing and migrate"
                    + " as the owner (spring.liquibase.user, see docs/operations.md), or set"
                    + " PLUGBOARD_DATABASE_ALLOW_PRIVILEGED_RUNTIME_ROLE=true to run anyway.");
        }
        log.warn("!!! {} Running anyway because PLUGBOARD_DATABASE_ALLOW_PRIVILEGED_RUNTIME_ROLE=true. !!!", problem);
        return privileges;
    }
}
