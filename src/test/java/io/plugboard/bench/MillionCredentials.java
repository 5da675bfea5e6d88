package io.plugboard.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Generates the benchmark data set with set-based SQL into one tenant, into the schema Liquibase
 * created (so every index the application has is maintained and measured): 100,000 end users and
 * 1,000,000 credentials across 50 connectors, inserted oldest first as a real tenant's rows arrive.
 * Deterministic ({@code setseed}) and idempotent: a complete data set is kept, a partial one replaced.
 */
final class MillionCredentials {

    static final int CREDENTIALS = 1_000_000;
    static final int END_USERS = 100_000;
    static final int CHUNK = 100_000;
    /** Connectors carrying {@code {"venue": "Venue <n>"}} (ROLLER is the built-in one with that field). */
    static final List<String> VENUE_CONNECTORS = List.of("roller", "bench-venue-1", "bench-venue-2",
            "bench-venue-3", "bench-venue-4");
    /** The 27 built-in connectors plus custom-looking ones: 50 in all. */
    static final List<String> CONNECTORS;

    static {
        var keys = new ArrayList<>(List.of("airtable", "asana", "box", "calendly", "docusign", "dotloop",
                "followupboss", "github", "google", "gusto", "hubspot", "intercom", "lofty", "mailchimp",
                "microsoft-graph", "pandadoc", "pipedrive", "quickbooks", "roller", "salesforce", "shopify",
                "skyslope", "slack", "stripe", "xero", "zendesk", "zoho-crm"));
        keys.addAll(VENUE_CONNECTORS.subList(1, VENUE_CONNECTORS.size()));
        for (int i = 1; keys.size() < 50; i++) {
            keys.add("bench-custom-" + i);
        }
        CONNECTORS = List.copyOf(keys);
    }

    private static final Logger log = LoggerFactory.getLogger(MillionCredentials.class);

    private MillionCredentials() {
    }

    /** Makes sure the tenant holds the data set; returns how long generating it took (0 if it was there). */
    static long ensure(JdbcTemplate jdbc, UUID tenantId) {
        Long users = jdbc.queryForObject(
                "SELECT count(*) FROM end_users WHERE tenant_id = ? AND external_id LIKE 'user-%'", Long.class, tenantId);
        Long rows = jdbc.queryForObject("SELECT count(*) FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                + "WHERE c.tenant_id = ? AND e.external_id LIKE 'user-%'", Long.class, tenantId);
        if (users != null && users == END_USERS && rows != null && rows == CREDENTIALS) {
            log.info("Benchmark data present: {} end users, {} credentials", users, rows);
            return 0;
        }
        long start = System.nanoTime();
        log.info("Generating benchmark data ({} credentials, {} end users); found {} / {}", CREDENTIALS, END_USERS,
                rows, users);
        jdbc.update("DELETE FROM credentials WHERE tenant_id = ? AND end_user_id IN "
                + "(SELECT id FROM end_users WHERE tenant_id = ? AND external_id LIKE 'user-%')", tenantId, tenantId);
        jdbc.update("DELETE FROM end_users WHERE tenant_id = ? AND external_id LIKE 'user-%'", tenantId);
        jdbc.update("""
                INSERT INTO end_users (id, tenant_id, external_id, email, display_name, created_at)
                SELECT md5('bench-end-user-' || n)::uuid, ?, 'user-' || lpad(n::text, 6, '0'),
                       'user' || n || '@example.com', 'End User ' || n,
                       now() - interval '730 days' + (n::float8 / ?) * interval '720 days'
                FROM generate_series(1, ?) n""", tenantId, END_USERS, END_USERS);
        for (int from = 1; from <= CREDENTIALS; from += CHUNK) {
            int to = Math.min(CREDENTIALS, from + CHUNK - 1);
            long chunkStart = System.nanoTime();
            insertChunk(jdbc, tenantId, from, to);
            log.info("  credentials {}..{} in {} ms", from, to, (System.nanoTime() - chunkStart) / 1_000_000);
        }
        jdbc.execute("VACUUM (ANALYZE) end_users");
        jdbc.execute("VACUUM (ANALYZE) credentials");
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Benchmark data generated in {} ms", millis);
        return millis;
    }

    private static void insertChunk(JdbcTemplate jdbc, UUID tenantId, int from, int to) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            try (Statement seed = con.createStatement()) {
                seed.execute("SELECT setseed(" + (double) from / (CREDENTIALS + 1) + ")");
            }
            try (PreparedStatement ps = con.prepareStatement(INSERT)) {
                int i = 1;
                ps.setArray(i++, array(con, CONNECTORS));
                ps.setArray(i++, array(con, VENUE_CONNECTORS));
                ps.setObject(i++, tenantId);
                ps.setInt(i++, END_USERS);
                ps.setInt(i++, CREDENTIALS);
                ps.setInt(i++, from);
                ps.setInt(i, to);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static java.sql.Array array(Connection con, List<String> values) throws java.sql.SQLException {
        return con.createArrayOf("text", values.toArray());
    }

    /*
     * Per row: connector uniform over 50; end user uniform over 100,000 (about 10 credentials each);
     * status 90% ACTIVE, 5% REFRESH_FAILED, 4% REVOKED (no secret: the CHECK constraint), 1% EXPIRED;
     * secret 168..231 random-looking bytes (~200 B, like a sealed token set); created_at evenly over two
     * years in insertion order; venue metadata on the venue connectors' rows (500 venues), a "team"
     * entry on a quarter of the others; OAuth-like expiry/refresh times on ~60%.
     */
    private static final String INSERT = """
            WITH params AS (SELECT ?::text[] AS connectors, ?::text[] AS venue_connectors, ?::uuid AS tenant,
                                   ?::int AS end_users, ?::int AS total),
            r AS (
                SELECT n, p.tenant, p.venue_connectors,
                       p.connectors[1 + floor(random() * 50)::int] AS app_key,
                       1 + floor(random() * p.end_users)::int AS end_user,
                       random() AS r_status, random() AS r_meta, floor(random() * 1000000)::int AS v,
                       random() AS r_oauth, random() AS r_used, random() AS r_label,
                       now() - interval '730 days' + ((n + random()) / p.total) * interval '730 days' AS created_at
                FROM params p, generate_series(?::int, ?::int) n
            ),
            s AS (
                SELECT r.*, CASE WHEN r_status < 0.90 THEN 'ACTIVE' WHEN r_status < 0.95 THEN 'REFRESH_FAILED'
                                 WHEN r_status < 0.99 THEN 'REVOKED' ELSE 'EXPIRED' END AS status
                FROM r
            )
            INSERT INTO credentials (id, tenant_id, app_key, end_user_id, label, status, secret, metadata, config,
                                     scopes, expires_at, created_at, updated_at, last_refreshed_at, last_used_at,
                                     revoked_at, revoked_by)
            SELECT 'cred_' || substr(translate(encode(sha256(('bench-credential-' || n)::bytea), 'base64'), '+/=', ''), 1, 24),
                   tenant, app_key, md5('bench-end-user-' || end_user)::uuid,
                   CASE WHEN r_label < 0.3 THEN NULL ELSE initcap(replace(app_key, '-', ' ')) || ' account ' || (n % 97) END,
                   status,
                   CASE WHEN status = 'REVOKED' THEN NULL ELSE
                       sha512(int8send(n)) || sha512(int8send(n + 2000000000)) || sha256(int8send(n + 4000000000))
                       || substr(sha256(int8send(n + 6000000000)), 1, 8) || substr(sha512(int8send(-n)), 1, (n % 64)::int) END,
                   CASE WHEN app_key = ANY (venue_connectors) THEN jsonb_build_object('venue', 'Venue ' || (v % 500))
                        WHEN r_meta < 0.25 THEN jsonb_build_object('team', 'Team ' || (v % 40))
                        ELSE '{}'::jsonb END,
                   '{}'::jsonb,
                   CASE WHEN r_oauth < 0.6 THEN 'read write offline_access' END,
                   CASE WHEN r_oauth < 0.6 THEN
                       CASE WHEN status = 'EXPIRED' THEN now() - r_used * interval '30 days'
                            ELSE now() + r_used * interval '24 hours' END END,
                   created_at,
                   CASE WHEN status = 'REVOKED' THEN created_at + r_used * (now() - created_at) ELSE created_at END,
                   CASE WHEN r_oauth < 0.6 THEN now() - r_used * interval '24 hours' END,
                   CASE WHEN r_used < 0.8 THEN created_at + r_used * (now() - created_at) END,
                   CASE WHEN status = 'REVOKED' THEN created_at + r_used * (now() - created_at) END,
                   CASE WHEN status = 'REVOKED' THEN 'admin@demo.local' END
            FROM s
            ORDER BY s.created_at""";
}
