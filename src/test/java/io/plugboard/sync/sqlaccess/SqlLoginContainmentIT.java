package io.plugboard.sync.sqlaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a tenant's read-only SQL login can reach beyond its views, tried as a hostile tenant holding it would: the
 * rights every PostgreSQL role has by default (temporary tables, large objects, other databases, functions), what the
 * catalogs show of others, and the server's resources.
 */
@PlugboardTest
class SqlLoginContainmentIT extends ProxyTestSupport {

    @Autowired
    EmbeddedPostgres postgres;
    @Autowired
    SqlLoginLimits limits;

    @Test
    void itCanStoreNothingNeitherTemporaryTablesNorLargeObjectsNorAnythingInASchema() throws SQLException {
        try (Connection sql = SqlLoginSessions.signIn(context, tenant)) {
            // Its read-only default is its own to turn off: what follows must hold without it.
            execute(sql, "SET default_transaction_read_only = off");
            assertRefused(sql, "CREATE TEMPORARY TABLE scratch (id int)", "42501");
            assertRefused(sql, "SELECT lo_from_bytea(0, '\\x00'::bytea)", "42501");
            assertRefused(sql, "SELECT lo_create(0)", "42501");
            assertRefused(sql, "SELECT lo_creat(-1)", "42501");
            assertRefused(sql, "CREATE TABLE public.mine (id int)", "42501");
            assertRefused(sql, "CREATE DATABASE mine", "42501");
            assertThat(column(sql, "SELECT has_database_privilege(current_database(), 'TEMPORARY')::text"))
                    .containsExactly("false");
        }
    }

    @Test
    void itConnectsToPlugboardsDatabaseOnly() throws SQLException {
        IssuedSqlLogin login = SqlLoginSessions.issue(context, tenant);
        SqlLoginSessions.connect(context, login.roleName(), login.password()).close();
        for (String database : List.of("template1", "plugboard", "other")) {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort()
                    + "/" + database, login.roleName(), login.password()).close()).as(database)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
        }
    }

    @Test
    void itMayExecuteNoneOfPlugboardsFunctionsNorAnySecurityDefinerFunctionNorUseAnySequence() throws SQLException {
        try (Connection sql = SqlLoginSessions.signIn(context, tenant)) {
            assertThat(column(sql, """
                    SELECT p.oid::regprocedure::text FROM pg_proc p
                    WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                      AND d.objid = p.oid AND d.deptype = 'e')
                      AND has_function_privilege(p.oid, 'EXECUTE')""")).as("Plugboard's own functions").isEmpty();
            assertThat(column(sql, "SELECT p.oid::regprocedure::text FROM pg_proc p "
                    + "WHERE p.prosecdef AND has_function_privilege(p.oid, 'EXECUTE')"))
                    .as("SECURITY DEFINER functions anywhere").isEmpty();
            assertThat(column(sql, """
                    SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'S'
                      AND (has_sequence_privilege(c.oid, 'USAGE') OR has_sequence_privilege(c.oid, 'SELECT')
                           OR has_sequence_privilege(c.oid, 'UPDATE'))""")).as("sequences").isEmpty();
            assertThat(column(sql, """
                    SELECT c.oid::regclass::text FROM pg_class c
                    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                      AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                    """)).as("tables of schema public").isEmpty();
            // There are some: the check above is not empty for want of functions.
            assertThat(column(sql, "SELECT count(*)::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
                    + "AND prosecdef")).doesNotContain("0");
        }
    }

    @Test
    void itSeesNoOtherSessionsQueriesNoTenantInARoleNameAndNoSecretInASetting() throws SQLException {
        try (Connection sql = SqlLoginSessions.signIn(context, tenant)) {
            assertThat(column(sql, "SELECT count(*)::text FROM pg_stat_activity WHERE usename <> current_user"))
                    .as("other sessions are there").doesNotContain("0");
            assertThat(column(sql, """
                    SELECT query FROM pg_stat_activity WHERE usename <> current_user AND query IS NOT NULL
                      AND query NOT IN ('', '<insufficient privilege>')""")).as("their queries").isEmpty();

            List<String> tenantMarks = new ArrayList<>();
            for (Map<String, Object> row : DatabaseSuperuser.of(context).queryForList("SELECT id, slug FROM tenants")) {
                tenantMarks.add(row.get("id").toString().replace("-", "").substring(0, 12));
                tenantMarks.add(row.get("slug").toString());
            }
            List<String> logins = column(sql, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'plugboard\\_sql\\_%' "
                    + "AND rolname <> 'plugboard_sql_read'");
            assertThat(logins).isNotEmpty().allSatisfy(role -> {
                assertThat(role).matches("plugboard_sql_[0-9a-f]{16}");
                for (String mark : tenantMarks) {
                    assertThat(role).doesNotContain(mark);
                }
            });

            assertThat(column(sql, "SELECT name FROM pg_settings WHERE name LIKE 'plugboard.%'")).isEmpty();
            List<String> configs = column(sql, "SELECT array_to_string(rolconfig, ' ') FROM pg_roles "
                    + "WHERE rolconfig IS NOT NULL");
            configs.addAll(column(sql, "SELECT array_to_string(setconfig, ' ') FROM pg_db_role_setting"));
            assertThat(configs).isNotEmpty().noneSatisfy(config ->
                    assertThat(config.toLowerCase()).containsAnyOf("password", "secret", "key", "plugboard."));
        }
    }

    @Test
    void itsSessionsStartWithLimitsAndItsConnectionsAreCapped() throws SQLException {
        IssuedSqlLogin login = SqlLoginSessions.issue(context, tenant);
        List<Connection> open = new ArrayList<>();
        try {
            Connection sql = SqlLoginSessions.connect(context, login.roleName(), login.password());
            open.add(sql);
            assertThat(column(sql, "SHOW statement_timeout")).containsExactly("30s");
            assertThat(column(sql, "SHOW idle_in_transaction_session_timeout")).containsExactly("1min");
            assertThat(column(sql, "SHOW work_mem")).containsExactly("16MB");
            assertThat(column(sql, "SHOW max_parallel_workers_per_gather")).containsExactly("0");
            assertThat(column(sql, "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = current_user"))
                    .containsExactly("5");
            while (open.size() < 5) {
                open.add(SqlLoginSessions.connect(context, login.roleName(), login.password()));
            }
            assertThatThrownBy(() -> SqlLoginSessions.connect(context, login.roleName(), login.password()).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"));
            // However many logins are connected, the application's roles have connections set aside.
            assertThat(jdbc.queryForObject("SELECT current_setting('reserved_connections')", String.class))
                    .isEqualTo("40");
            assertThat(jdbc.queryForObject("SELECT pg_has_role(current_user, 'pg_use_reserved_connections', "
                    + "'USAGE')", Boolean.class)).isTrue();
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
    }

    @Test
    void aLongQueryOrAnOpenTransactionIsStoppedEvenWhenTheSessionLiftedItsOwnTimeouts() throws Exception {
        IssuedSqlLogin login = SqlLoginSessions.issue(context, tenant);
        try (Connection busy = SqlLoginSessions.connect(context, login.roleName(), login.password());
             Connection idle = SqlLoginSessions.connect(context, login.roleName(), login.password())) {
            execute(busy, "SET statement_timeout = 0");
            execute(idle, "SET idle_in_transaction_session_timeout = 0");
            idle.setAutoCommit(false);
            execute(idle, "SELECT count(*) FROM people");
            CompletableFuture<SQLException> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    execute(busy, "SELECT pg_sleep(120)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Instant deadline = Instant.now().plusSeconds(20);
            int stopped = 0;
            while (stopped < 2) {
                assertThat(Instant.now()).as("both stopped").isBefore(deadline);
                Thread.sleep(Duration.ofMillis(200));
                stopped += limits.enforce(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0);
            }
            SQLException cancelled = sleeping.get(10, TimeUnit.SECONDS);
            assertThat((Throwable) cancelled).as("the long query failed").isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThatThrownBy(() -> execute(idle, "SELECT 1")).as("the open transaction's session ended")
                    .isInstanceOf(SQLException.class);
        }
    }

    /**
     * A session that LISTENs and then sits in a transaction (or stops reading) holds back the server's notification
     * queue; full, it would make every NOTIFY fail, every announced credential write with it. Once the queue is
     * fuller than the limit the login's sessions are ended (the time limits are out of the way here: an hour).
     */
    @Test
    void aSessionHoldingBackTheNotificationQueueIsEnded() throws Exception {
        IssuedSqlLogin login = SqlLoginSessions.issue(context, tenant);
        try (Connection holder = SqlLoginSessions.connect(context, login.roleName(), login.password())) {
            execute(holder, "SET idle_in_transaction_session_timeout = 0");
            execute(holder, "LISTEN sql_login_queue_test");
            holder.setAutoCommit(false);
            execute(holder, "SELECT 1");
            Duration hour = Duration.ofHours(1);
            double share = 100.0 / jdbc.queryForObject("SELECT current_setting('max_notify_queue_pages')::int",
                    Integer.class);
            assertThat(limits.enforce(hour, hour, share)).as("nothing to do yet").isZero();
            String payload = "x".repeat(7_900);
            for (int i = 0; i < 300; i++) {
                jdbc.execute("SELECT pg_notify('sql_login_queue_test', '" + payload + "')");
            }
            assertThat(jdbc.queryForObject("SELECT pg_notification_queue_usage()", Double.class))
                    .as("held back").isGreaterThan(share);
            assertThat(limits.enforce(hour, hour, share)).isEqualTo(1);
            assertThatThrownBy(() -> execute(holder, "SELECT 1")).as("its session ended")
                    .isInstanceOf(SQLException.class);
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (jdbc.queryForObject("SELECT pg_notification_queue_usage()", Double.class) > 0.00002) {
            assertThat(Instant.now()).as("the queue drains").isBefore(deadline);
            Thread.sleep(Duration.ofMillis(50));
        }
    }

    private static List<String> column(Connection sql, String query) throws SQLException {
        try (var statement = sql.createStatement(); var rs = statement.executeQuery(query)) {
            var values = new ArrayList<String>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static void execute(Connection sql, String statement) throws SQLException {
        try (var s = sql.createStatement()) {
            s.execute(statement);
        }
    }

    private static void assertRefused(Connection sql, String statement, String sqlState) {
        assertThatThrownBy(() -> execute(sql, statement)).as(statement)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    }
}
