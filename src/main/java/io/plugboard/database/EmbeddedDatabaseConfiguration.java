package io.plugboard.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Starts a real PostgreSQL from a jar when no external database is configured, keeping its files in
 * {@code <data-dir>/postgres} so a restart finds every row again. Migrations run as the owner role, the
 * application as the runtime role (see {@link EmbeddedDatabaseRoles}); the superuser only sets the roles up.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    private final String runtimeRole;

    EmbeddedDatabaseConfiguration(@Value("${spring.liquibase.parameters.runtimeRole}") String runtimeRole) {
        this.runtimeRole = runtimeRole;
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${plugboard.data-dir}") Path dataDir,
                                      @Value("${plugboard.database.durable}") boolean durable,
                                      @Value("${plugboard.database.embedded-port:0}") int port) throws IOException {
        Path pgData = dataDir.toAbsolutePath().resolve("postgres");
        Files.createDirectories(pgData);
        log.info("Starting embedded PostgreSQL with data in {}", pgData);
        var builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                // The pool's 20, the migrations', the change feeds' and headroom, whatever tenants' SQL logins take.
                .setServerConfig("reserved_connections", "40");
        if (port > 0) {
            builder.setPort(port);
        }
        if (durable) {
            // The library starts PostgreSQL for throwaway test databases: fsync off (-F) and asynchronous
            // commits. Here it keeps credentials and the audit trail, so a commit is on disk when it returns
            // and a power cut cannot corrupt the cluster. These settings come after -F and win.
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        }
        EmbeddedPostgres postgres = builder.start();
        try {
            EmbeddedDatabaseRoles.prepare(postgres.getPostgresDatabase(), runtimeRole);
            EmbeddedDatabaseRoles.requireSqlLoginPasswords(pgData, postgres.getPostgresDatabase(), runtimeRole);
        } catch (IOException | SQLException | RuntimeException e) {
            postgres.close();
            throw new IllegalStateException("Could not set up the roles of the embedded database", e);
        }
        return postgres;
    }

    /** Migrations only: the owner of the schema. Not a candidate for plain DataSource injection. */
    @Bean(defaultCandidate = false)
    @LiquibaseDataSource
    DataSource liquibaseDataSource(EmbeddedPostgres postgres) {
        return postgres.getDatabase(EmbeddedDatabaseRoles.OWNER, "postgres");
    }

    @Bean
    @Primary
    DataSource dataSource(EmbeddedPostgres postgres) {
        var dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl(runtimeRole, "postgres"));
        dataSource.setUsername(runtimeRole);
        dataSource.setPoolName("plugboard-embedded");
        dataSource.setMaximumPoolSize(20);
        return dataSource;
    }
}
