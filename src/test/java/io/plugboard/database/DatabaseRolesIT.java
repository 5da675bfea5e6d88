package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The application's own connections: the runtime role reads and writes rows, and can do nothing else. */
@PlugboardTest
class DatabaseRolesIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RuntimeRoleCheck.Privileges privileges;

    @Test
    void theApplicationRunsAsARuntimeRoleThatOwnsNothing() {
        assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("plugboard_app");
        assertThat(privileges.privileged()).isFalse();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
                AND relowner <> 'plugboard_owner'::regrole""", Long.class)).as("the owner owns every object").isZero();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
                AND proowner <> 'plugboard_owner'::regrole
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""", Long.class))
                .as("every function but an extension's").isZero();
    }

    @Test
    void theRuntimeRoleCannotChangeTheSchema() {
        refused("CREATE TABLE intruder (id int)");
        refused("DROP TABLE credentials");
        refused("ALTER TABLE credentials DISABLE TRIGGER ALL");
        refused("TRUNCATE credentials");
        refused("TRUNCATE proxy_calls");
        refused("CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        refused("DELETE FROM databasechangelog");
    }

    @Test
    void theRuntimeRoleMayOnlyInsertAndReadAuditEvents() {
        Long seq = jdbc.queryForObject("SELECT max(seq) FROM audit_events", Long.class);
        refused("UPDATE audit_events SET action = 'x' WHERE seq = " + seq);
        refused("UPDATE audit_events SET hash = NULL WHERE seq = " + seq);
        refused("DELETE FROM audit_events WHERE seq = " + seq);
        refused("TRUNCATE audit_events");
        refused("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete");
        refused("SET session_replication_role = replica");
    }

    private void refused(String sql) {
        assertThatThrownBy(() -> jdbc.execute(sql)).as(sql).isInstanceOf(DataAccessException.class)
                .rootCause().message().containsAnyOf("permission denied", "must be owner");
    }
}
