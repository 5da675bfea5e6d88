package io.plugboard.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The two roles of the embedded database, set up by its bootstrap superuser before anything else connects: the
 * owner that migrations run as and that owns every object in the public schema, and the runtime role the
 * application pool uses, which owns nothing (its privileges come from the runtime-role grants changeset). A data
 * directory from before the split has everything owned by the superuser: each start hands what is not the owner's
 * over to it, so such a directory is migrated the first time and the step is a no-op afterwards.
 */
final class EmbeddedDatabaseRoles {

    static final String OWNER = "plugboard_owner";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private EmbeddedDatabaseRoles() {
    }

    static void prepare(DataSource superuser, String runtimeRole) throws SQLException {
        if (!ROLE_NAME.matcher(runtimeRole).matches() || runtimeRole.equals(OWNER)) {
            throw new IllegalArgumentException("not a runtime role name for the embedded database: " + runtimeRole);
        }
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            // CREATEROLE for the tenants' read-only SQL logins (changeset 033): its functions create and drop them.
            statement.execute(createRole(OWNER, "LOGIN NOSUPERUSER NOCREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS"));
            statement.execute(createRole(runtimeRole,
                    "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"));
            // Since PostgreSQL 15 only the database owner may create in the public schema.
            statement.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + OWNER);
            // Trusted extensions (pg_trgm) may be created by a role with CREATE on the database.
            statement.execute("GRANT CREATE ON DATABASE postgres TO " + OWNER);
            statement.execute(TRANSFER_OWNERSHIP);
            // What every role may do by default and a tenant's SQL login (docs/sync.md) must not: fill the disk with
            // temporary tables or large objects. Only the database's and the functions' owner (here the superuser)
            // may take it back; Plugboard's own roles keep TEMPORARY and use no large objects.
            statement.execute("GRANT TEMPORARY ON DATABASE postgres TO " + OWNER + ", " + runtimeRole);
            statement.execute("REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC");
            statement.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.lo_creat(integer), pg_catalog.lo_create(oid), "
                    + "pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC");
            // Connections set aside for roles with this right: however many tenants' logins are connected, the
            // application's pool and migrations still get theirs (EmbeddedDatabaseConfiguration reserves them).
            statement.execute("GRANT pg_use_reserved_connections TO " + OWNER + ", " + runtimeRole);
            for (String function : LEAKPROOF) {
                statement.execute("ALTER FUNCTION " + function + " LEAKPROOF");
            }
        }
    }

    /**
     * Under row-level security PostgreSQL uses a condition of a query for an index only if its functions are
     * marked leakproof (they could otherwise reveal rows the policy hides, through an error). These raise no error
     * that depends on a row's value, and without the mark the credentials grid's and the support search's
     * text, e-mail and metadata searches could use none of their indexes. Only a superuser may mark them.
     */
    static final java.util.List<String> LEAKPROOF = java.util.List.of(
            "pg_catalog.texticlike(text, text)", "pg_catalog.lower(text)", "pg_catalog.jsonb_contains(jsonb, jsonb)");

    /** The group role of the tenants' read-only SQL logins (changeset 033). */
    static final String SQL_LOGINS = "plugboard_sql_read";

    /**
     * The embedded database trusts every local connection (it listens on localhost only, and the application's
     * roles have no password). The tenants' SQL logins are for people, though, and their password is the point:
     * rules for members of their group come first in pg_hba.conf, where the first matching line decides. Plugboard's
     * own roles are named before them: the owner becomes a member of the group when it creates it (PostgreSQL grants
     * a role's creator membership of it), and must still sign in without a password. The logins reach Plugboard's
     * database only (PostgreSQL lets every role connect to every database by default, template1 included).
     */
    static void requireSqlLoginPasswords(Path dataDirectory, DataSource superuser, String runtimeRole)
            throws IOException, SQLException {
        String own = String.join(",", OWNER, runtimeRole, "postgres");
        String rules = """
                # Plugboard: its own roles sign in as before; the tenants' read-only SQL logins with their password
                # (docs/sync.md).
                local all %1$s trust
                host all %1$s 127.0.0.1/32 trust
                host all %1$s ::1/128 trust
                local postgres +%2$s scram-sha-256
                host postgres +%2$s 127.0.0.1/32 scram-sha-256
                host postgres +%2$s ::1/128 scram-sha-256
                local all +%2$s reject
                host all +%2$s all reject
                """.formatted(own, SQL_LOGINS);
        Path hba = dataDirectory.resolve("pg_hba.conf");
        String existing = Files.readString(hba);
        if (existing.startsWith(rules)) {
            return;
        }
        Files.writeString(hba, rules + existing);
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    private static String createRole(String name, String attributes) {
        return """
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
                        CREATE ROLE %1$s %2$s;
                    ELSE
                        ALTER ROLE %1$s %2$s;
                    END IF;
                END $$""".formatted(name, attributes);
    }

    /**
     * Tables, views and foreign tables first: their sequences and indexes follow them. Then what is left: free-standing
     * sequences, functions (the audit trigger's among them) and types; an extension's own objects stay its owner's.
     */
    private static final String TRANSFER_OWNERSHIP = """
            DO $$
            DECLARE
                owner_oid oid := '%1$s'::regrole;
                item record;
            BEGIN
                FOR item IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                            WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> owner_oid
                              AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP
                    EXECUTE format('ALTER %%s %%s OWNER TO %1$s',
                        CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, item.name);
                END LOOP;
                FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
                            WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> owner_oid
                              AND c.relkind = 'S' LOOP
                    EXECUTE format('ALTER SEQUENCE %%s OWNER TO %1$s', item.name);
                END LOOP;
                FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                            WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> owner_oid
                              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                              AND d.objid = p.oid AND d.deptype = 'e') LOOP
                    EXECUTE format('ALTER ROUTINE %%s OWNER TO %1$s', item.name);
                END LOOP;
                FOR item IN SELECT t.oid::regtype AS name FROM pg_type t
                            WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> owner_oid
                              AND t.typtype IN ('e', 'd', 'r') AND t.typrelid = 0
                              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                                              AND d.objid = t.oid AND d.deptype = 'e') LOOP
                    EXECUTE format('ALTER TYPE %%s OWNER TO %1$s', item.name);
                END LOOP;
            END $$""".formatted(OWNER);
}
