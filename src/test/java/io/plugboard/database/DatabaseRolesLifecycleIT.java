package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardApplication;
import io.plugboard.audit.AuditLog;
import io.plugboard.crypto.MasterKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The owner and runtime roles across whole application starts: old data directories, external databases. */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseRolesLifecycleIT {

    /** The set-up of docs/operations.md ("Database roles"), as a database administrator runs it. */
    private static final List<String> DOCUMENTED_SETUP = List.of(
            "CREATE ROLE plugboard_owner LOGIN PASSWORD 'owner-secret'",
            "CREATE ROLE plugboard_app LOGIN PASSWORD 'app-secret' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
            "CREATE DATABASE plugboard OWNER plugboard_owner");

    @TempDir
    Path dataDir;

    @Test
    void aDataDirectoryFromBeforeTheRolesIsHandedToTheOwnerAndServedByTheRuntimeRole() throws Exception {
        try (var first = start("--plugboard.data-dir=" + dataDir)) {
            assertThat(first.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                    .isEqualTo("plugboard_app");
        }
        // Turn the directory back into one written before the roles existed: everything the superuser's, the
        // sealing function and the grants never applied.
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            var superuser = new JdbcTemplate(postgres.getPostgresDatabase());
            superuser.execute("DROP FUNCTION audit_seal(bigint[], bigint[], text[], text[])");
            superuser.update("DELETE FROM databasechangelog WHERE id IN ('019-audit-seal-function', 'runtime-role-grants')");
            superuser.execute("REASSIGN OWNED BY plugboard_owner TO postgres");
            superuser.execute("DROP OWNED BY plugboard_owner");
            superuser.execute("DROP OWNED BY plugboard_app");
            superuser.execute("DROP ROLE plugboard_owner");
            superuser.execute("DROP ROLE plugboard_app");
            assertThat(superuser.queryForObject("""
                    SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
                    AND relowner <> 'postgres'::regrole""", Long.class)).isZero();
        }

        try (var second = start("--plugboard.data-dir=" + dataDir)) {
            var jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("plugboard_app");
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
                    AND relowner <> 'plugboard_owner'::regrole""", Long.class)).as("all handed over").isZero();
            assertThat(second.getBean(RuntimeRoleCheck.Privileges.class).privileged()).isFalse();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM tenants WHERE slug = 'demo'", Long.class)).isOne();
            assertThat(jdbc.queryForObject("SELECT has_table_privilege('audit_events', 'UPDATE')", Boolean.class))
                    .isFalse();
            assertThat(second.getBean(AuditLog.class).verifyChain().intact()).as("sealing works").isTrue();
        }
    }

    @Test
    void anExternalDatabaseSetUpAsDocumentedStartsWithTheTwoRoles() throws Exception {
        try (EmbeddedPostgres postgres = external("pg-documented")) {
            var admin = new JdbcTemplate(postgres.getPostgresDatabase());
            DOCUMENTED_SETUP.forEach(admin::execute);
            try (var app = start(externalArgs(postgres, "plugboard", "plugboard_app", "app-secret",
                    "--spring.liquibase.user=plugboard_owner", "--spring.liquibase.password=owner-secret"))) {
                var jdbc = app.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("plugboard_app");
                assertThat(jdbc.queryForObject("SELECT tableowner FROM pg_tables WHERE tablename = 'credentials'",
                        String.class)).isEqualTo("plugboard_owner");
                assertThat(app.getBean(RuntimeRoleCheck.Privileges.class).privileged()).isFalse();
                assertThat(app.getBean(AuditLog.class).verifyChain().intact()).isTrue();
            }
        }
    }

    @Test
    void aSuperuserAsRuntimeRoleIsRefusedUnlessExplicitlyAllowed(CapturedOutput output) throws Exception {
        try (EmbeddedPostgres postgres = external("pg-superuser")) {
            Throwable failure = null;
            try (var ignored = start(externalArgs(postgres, "postgres", "postgres", ""))) {
                // started: fails below
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).hasMessageContaining("(postgres) is a superuser")
                    .hasMessageContaining("PLUGBOARD_DATABASE_ALLOW_PRIVILEGED_RUNTIME_ROLE");

            try (var app = start(externalArgs(postgres, "postgres", "postgres", "",
                    "--plugboard.database.allow-privileged-runtime-role=true"))) {
                assertThat(app.getBean(RuntimeRoleCheck.Privileges.class).superuser()).isTrue();
                assertThat(output).contains("WARN").contains("!!! The database role Plugboard runs as (postgres) "
                        + "is a superuser");
            }
        }
    }

    @Test
    void aRuntimeRoleThatOwnsTheTablesIsRefused() throws Exception {
        try (EmbeddedPostgres postgres = external("pg-owner")) {
            var admin = new JdbcTemplate(postgres.getPostgresDatabase());
            DOCUMENTED_SETUP.forEach(admin::execute);
            Throwable failure = null;
            // One role for everything: it migrates, so it owns the tables.
            try (var ignored = start(externalArgs(postgres, "plugboard", "plugboard_owner", "owner-secret"))) {
                // started: fails below
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).hasMessageContaining("(plugboard_owner) owns");
        }
    }

    private EmbeddedPostgres external(String dir) throws java.io.IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve(dir)).setCleanDataDirectory(true).start();
    }

    private String[] externalArgs(EmbeddedPostgres postgres, String database, String user, String password,
                                  String... more) {
        var args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database,
                "--spring.datasource.username=" + user, "--spring.datasource.password=" + password,
                "--plugboard.master-key=" + MasterKeys.encode(MasterKeys.generate()),
                "--plugboard.demo.enabled=false", "--plugboard.data-dir=" + dataDir.resolve("unused")));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(args));
        all.add("--server.port=0");
        all.add("--spring.main.banner-mode=off");
        all.add("--plugboard.database.durable=false");
        return new SpringApplicationBuilder(PlugboardApplication.class).run(all.toArray(String[]::new));
    }
}
