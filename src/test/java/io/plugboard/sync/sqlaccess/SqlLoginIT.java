package io.plugboard.sync.sqlaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The tenant's read-only SQL login, connected to as that role over JDBC: it reads its tenant's synced records
 * through tenant_data and nothing else, whatever it sets or whichever role it tries to become; rotating changes
 * its password and revoking ends its access. The same through the API, for tenant-wide tokens only.
 */
@PlugboardTest
class SqlLoginIT extends ProxyTestSupport {

    @Autowired
    SqlLogins logins;
    @Autowired
    EmbeddedPostgres postgres;

    private TestTenant other;
    private String ownCredential;
    private String otherCredential;

    @BeforeAll
    void syncedRecordsOfTwoTenants() {
        other = TestTenants.create(context, "sqlother");
        apiKeyConnectorAt("sql-login-own", provider.baseUrl());
        apiKeyConnectorAt(other, "sql-login-other", provider.baseUrl());
        ownCredential = credential(tenant, "sql-login-own", "end-user-1", Map.of("apiKey", "k1"), null);
        otherCredential = credential(other, "sql-login-other", "end-user-2", Map.of("apiKey", "k2"), null);
        for (String id : List.of("p1", "p2")) {
            jdbc.update("""
                    INSERT INTO synced_people (tenant_id, credential_id, provider_id, name, original, synced_at)
                    VALUES (?, ?, ?, ?, '{"id": 1}', now())""", tenant.id(), ownCredential, id, "Own " + id);
        }
        jdbc.update("""
                INSERT INTO synced_people (tenant_id, credential_id, provider_id, name, original, synced_at)
                VALUES (?, ?, 'x1', 'Other x1', '{}', now())""", other.id(), otherCredential);
        jdbc.update("""
                INSERT INTO synced_notes (tenant_id, credential_id, provider_id, body, original, synced_at)
                VALUES (?, ?, 'n1', 'own note', '{}', now()), (?, ?, 'n2', 'other note', '{}', now())""",
                tenant.id(), ownCredential, other.id(), otherCredential);
        // The other tenant has a login of its own: each login sees its own tenant only.
        asAdmin(other, () -> logins.create(other.id()));
    }

    @Test
    void theLoginReadsItsTenantsSyncedRecordsAndNothingElse() throws SQLException {
        IssuedSqlLogin login = asAdmin(tenant, () -> logins.create(tenant.id()));
        assertThat(login.roleName()).startsWith("plugboard_sql_");
        assertThat(asAdmin(tenant, () -> logins.find(tenant.id()))).get()
                .extracting(SqlLogin::roleName).isEqualTo(login.roleName());
        try (Connection sql = connect(login.roleName(), login.password())) {
            assertThat(column(sql, "SELECT provider_id FROM people ORDER BY provider_id")).containsExactly("p1", "p2");
            assertThat(column(sql, "SELECT body FROM tenant_data.notes")).containsExactly("own note");
            assertThat(column(sql, "SELECT original->>'id' FROM people WHERE provider_id = 'p1'"))
                    .containsExactly("1");
        }
        try (Connection sql = connect(login.roleName(), login.password())) {
            // What the tables' row-level security would trust, set by the login itself.
            execute(sql, "SET plugboard.tenant_id = '" + other.id() + "'");
            execute(sql, "SET plugboard.platform = 'on'");
            assertThat(column(sql, "SELECT provider_id FROM people ORDER BY provider_id")).containsExactly("p1", "p2");
            // Its group role: still this login's rows, the views go by the session's user.
            execute(sql, "SET ROLE plugboard_sql_read");
            assertThat(column(sql, "SELECT provider_id FROM people ORDER BY provider_id")).containsExactly("p1", "p2");
            execute(sql, "RESET ROLE");
            String otherLogin = asAdmin(other, () -> logins.find(other.id())).orElseThrow().roleName();
            for (String role : List.of(otherLogin, "plugboard_app", "plugboard_owner", "postgres")) {
                assertRefused(sql, "SET ROLE " + role, "42501");
                assertRefused(sql, "SET SESSION AUTHORIZATION " + role, "42501");
            }
            for (String table : List.of("credentials", "synced_people", "synced_notes", "sql_logins", "tenants",
                    "audit_events")) {
                assertRefused(sql, "SELECT count(*) FROM public." + table, "42501");
            }
            // Its sessions are read-only by default; turning that off gains it nothing below.
            assertThat(column(sql, "SHOW default_transaction_read_only")).containsExactly("on");
            assertRefused(sql, "CREATE TEMPORARY TABLE scratch (id int)", "25006");
            execute(sql, "SET default_transaction_read_only = off");
            assertRefused(sql, "CREATE TABLE public.mine (id int)", "42501");
            assertRefused(sql, "CREATE TABLE tenant_data.mine (id int)", "42501");
            assertRefused(sql, "CREATE SCHEMA mine", "42501");
            assertRefused(sql, "SELECT public.sql_login_set_password('" + tenant.id() + "', 'x')", "42501");
            assertRefused(sql, "SELECT public.sql_login_drop('" + other.id() + "')", "42501");
        }
    }

    @Test
    void plugboardsOwnRolesStillSignInWithoutAPasswordOnceTheLoginsGroupExists() {
        TestTenant fourth = TestTenants.create(context, "sqlowner");
        asAdmin(fourth, () -> logins.create(fourth.id()));

        // The owner creating the logins' group becomes its member, and the group's rules ask for a password: the
        // owner's migrations connection, and with it the health endpoint, must not be caught by them.
        var health = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build());
        assertThat(health.statusCode()).as(new String(health.body())).isEqualTo(200);
    }

    @Test
    void rotatingChangesThePasswordAndRevokingEndsAccess() throws SQLException {
        TestTenant third = TestTenants.create(context, "sqlthird");
        IssuedSqlLogin first = asAdmin(third, () -> logins.create(third.id()));
        assertThatThrownBy(() -> connect(first.roleName(), "not-the-password"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        connect(first.roleName(), first.password()).close();

        IssuedSqlLogin rotated = asAdmin(third, () -> logins.rotate(third.id()));
        assertThat(rotated.roleName()).isEqualTo(first.roleName());
        assertThat(rotated.password()).isNotEqualTo(first.password());
        assertThatThrownBy(() -> connect(first.roleName(), first.password()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));

        try (Connection open = connect(rotated.roleName(), rotated.password())) {
            assertThat(column(open, "SELECT count(*)::text FROM people")).containsExactly("0");
            asAdmin(third, () -> {
                logins.revoke(third.id());
                return null;
            });
            // A session still open loses its rights with the next statement.
            assertRefused(open, "SELECT count(*) FROM tenant_data.people", "42501");
        }
        assertThatThrownBy(() -> connect(rotated.roleName(), rotated.password())).isInstanceOf(SQLException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Long.class,
                rotated.roleName())).isZero();
        assertThat(asAdmin(third, () -> logins.find(third.id()))).isEmpty();
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE tenant_id = ? AND target_id = ? "
                + "ORDER BY seq", String.class, third.id(), rotated.roleName()))
                .containsExactly("sync.sql_login.created", "sync.sql_login.rotated", "sync.sql_login.revoked");
    }

    @Test
    void theApplicationsRoleManagesLoginsOnlyThroughTheFunctions() {
        UUID tenantId = tenant.id();
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO sql_logins VALUES (?, 'postgres', now(), now())", tenantId))
                .rootCause().hasMessageContaining("permission denied for table sql_logins");
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT sql_login_set_password(?, 'plain-password')",
                String.class, tenantId)).rootCause().hasMessageContaining("SCRAM-SHA-256 verifier");
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT sql_login_set_password(?, ?)", String.class,
                UUID.randomUUID(), ScramVerifiers.of("abc"))).rootCause().hasMessageContaining("no such tenant");
    }

    @Test
    void aTenantWideTokenManagesTheLoginThroughTheApiAndAnEndUsersTokenIsRefused() throws SQLException {
        TestTenant fourth = TestTenants.create(context, "sqlapi");
        String token = jwt(fourth, "tenant");
        assertThat(api(token, "POST", "").statusCode()).isEqualTo(201);
        assertThat(api(jwt(fourth, "end-user-1"), "GET", "").statusCode()).isEqualTo(403);
        assertThat(api(jwt(fourth, "end-user-1"), "DELETE", "").statusCode()).isEqualTo(403);

        HttpResponse<byte[]> rotated = api(token, "POST", "/rotate");
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode issued = json(rotated);
        String user = issued.path("user").asString();
        assertThat(issued.path("psql").asString()).contains("port=" + postgres.getPort(), "user=" + user);
        connect(user, issued.path("password").asString()).close();
        assertThat(api(token, "POST", "").statusCode()).as("one login per tenant").isEqualTo(400);

        JsonNode shown = json(api(token, "GET", ""));
        assertThat(shown.path("user").asString()).isEqualTo(user);
        assertThat(shown.has("password")).isFalse();
        assertThat(shown.path("port").asInt()).isEqualTo(postgres.getPort());

        assertThat(api(token, "DELETE", "").statusCode()).isEqualTo(204);
        HttpResponse<byte[]> gone = api(token, "GET", "");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(api(token, "POST", "/rotate").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> connect(user, issued.path("password").asString())).isInstanceOf(SQLException.class);
    }

    @Test
    void withoutCreateroleForTheOwnerLoginsAreRefusedAndSaySo() {
        TestTenant fifth = TestTenants.create(context, "sqlnorole");
        var superuser = new JdbcTemplate(postgres.getPostgresDatabase());
        superuser.execute("ALTER ROLE plugboard_owner NOCREATEROLE");
        try {
            HttpResponse<byte[]> refused = api(jwt(fifth, "tenant"), "POST", "");
            assertThat(refused.statusCode()).isEqualTo(501);
            assertThat(problemType(refused)).endsWith("sql-logins-unavailable");
            assertThat(json(refused).path("detail").asString()).contains("CREATEROLE");
        } finally {
            superuser.execute("ALTER ROLE plugboard_owner CREATEROLE");
        }
        assertThat(asAdmin(fifth, () -> logins.find(fifth.id()))).isEmpty();
    }

    private HttpResponse<byte[]> api(String token, String method, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sync/sql-login" + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private Connection connect(String role, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", role,
                password);
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
