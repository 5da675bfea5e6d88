package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Whole application starts: restart on the same data directory, and two instances on one database. */
class EmbeddedDatabaseLifecycleIT {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesAnApplicationRestartOnTheSameDataDirectory() throws Exception {
        String marker = "restart-" + UUID.randomUUID();
        String keyBefore;
        try (var first = start("--plugboard.data-dir=" + dataDir, "--plugboard.demo.password=restart-password-1")) {
            var jdbc = first.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).as("durable by default").isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            jdbc.update("INSERT INTO sign_in_failures (email, failures, last_failure_at) VALUES (?, 1, now())", marker);
            keyBefore = Files.readString(dataDir.resolve("master-key.b64"));
        }
        try (var second = start("--plugboard.data-dir=" + dataDir, "--plugboard.demo.password=restart-password-1")) {
            var jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sign_in_failures WHERE email = ?", Long.class, marker))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM tenants WHERE slug = 'demo'", Long.class)).isEqualTo(1);
            assertThat(Files.readString(dataDir.resolve("master-key.b64"))).isEqualTo(keyBefore);
        }
    }

    @Test
    void twoInstancesStartTogetherOnOneExternalDatabase() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(true).start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            String key = io.plugboard.crypto.MasterKeys.encode(io.plugboard.crypto.MasterKeys.generate());
            List<CompletableFuture<ConfigurableApplicationContext>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(CompletableFuture.supplyAsync(() -> start(
                        "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--plugboard.database.allow-privileged-runtime-role=true",
                        "--plugboard.master-key=" + key, "--plugboard.demo.enabled=true",
                        "--plugboard.demo.password=two-instances-pw",
                        "--plugboard.data-dir=" + dataDir.resolve("unused"))));
            }
            List<ConfigurableApplicationContext> contexts = new ArrayList<>();
            try {
                for (var start : starts) {
                    contexts.add(start.join());
                }
                var jdbc = contexts.getFirst().getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM tenants WHERE slug = 'demo'", Long.class))
                        .isEqualTo(1);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_users", Long.class)).isEqualTo(4);
                assertThat(contexts.getLast().getBean(io.plugboard.audit.AuditLog.class).verifyChain().intact()).isTrue();
            } finally {
                contexts.forEach(ConfigurableApplicationContext::close);
            }
        }
    }

    @Test
    void anExternalDatabaseWithoutAMasterKeyRefusesToStart() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg2"))
                .setCleanDataDirectory(true).start()) {
            Throwable failure = null;
            try (var ignored = start("--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres", "--plugboard.master-key=",
                    "--plugboard.database.allow-privileged-runtime-role=true")) {
                // started: fails below
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).hasMessageContaining("PLUGBOARD_MASTER_KEY must be set");
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(args));
        all.add("--server.port=0");
        all.add("--spring.main.banner-mode=off");
        return new SpringApplicationBuilder(PlugboardApplication.class).run(all.toArray(String[]::new));
    }
}
