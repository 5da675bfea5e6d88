package io.plugboard.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.SQLException;
import java.util.List;

/**
 * For a test that starts the application on a database of its own: the owner and runtime roles the embedded
 * database gets, so the instance runs as in production (row-level security, no DDL) instead of as the superuser.
 */
public final class ThrowawayDatabaseRoles {

    public static final String RUNTIME = "plugboard_app";

    private ThrowawayDatabaseRoles() {
    }

    /** Creates the roles; then start the application with {@link #arguments}. */
    public static void prepare(EmbeddedPostgres postgres) throws SQLException {
        EmbeddedDatabaseRoles.prepare(postgres.getPostgresDatabase(), RUNTIME);
    }

    /** Connects as the runtime role and migrates as the owner (the embedded server trusts local connections). */
    public static List<String> arguments(EmbeddedPostgres postgres) {
        return List.of("--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "--spring.datasource.username=" + RUNTIME, "--spring.liquibase.user=" + EmbeddedDatabaseRoles.OWNER);
    }
}
