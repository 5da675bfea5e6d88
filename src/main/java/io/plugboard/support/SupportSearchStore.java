package io.plugboard.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The support search's three lookups, each on an index (db/changelog 005 and 009): tenants by part of the name or
 * slug (trigram), end users by exact external id or case-insensitive e-mail across tenants (b-tree), credentials by
 * primary key. Only the tenant and the matched field leave the database.
 */
@Repository
class SupportSearchStore {

    private static final RowMapper<SupportMatch> MATCH = (rs, n) -> new SupportMatch(
            rs.getObject("tenant_id", UUID.class), rs.getString("tenant_name"), rs.getString("tenant_slug"),
            "ACTIVE".equals(rs.getString("tenant_status")), SupportMatch.Kind.valueOf(rs.getString("kind")),
            rs.getString("matched"));

    static final String TENANTS = """
            SELECT t.id AS tenant_id, t.name AS tenant_name, t.slug AS tenant_slug, t.status AS tenant_status,
                   CASE WHEN lower(t.name) LIKE ? ESCAPE '\\' THEN 'TENANT_NAME' ELSE 'TENANT_SLUG' END AS kind,
                   CASE WHEN lower(t.name) LIKE ? ESCAPE '\\' THEN t.name ELSE t.slug END AS matched
            FROM tenants t
            WHERE lower(t.name) LIKE ? ESCAPE '\\' OR t.slug LIKE ? ESCAPE '\\'
            ORDER BY t.name, t.id
            LIMIT ?""";

    static final String END_USERS = """
            SELECT DISTINCT t.id AS tenant_id, t.name AS tenant_name, t.slug AS tenant_slug, t.status AS tenant_status,
                   CASE WHEN e.external_id = ? THEN 'END_USER_ID' ELSE 'END_USER_EMAIL' END AS kind,
                   CASE WHEN e.external_id = ? THEN e.external_id ELSE e.email END AS matched
            FROM end_users e JOIN tenants t ON t.id = e.tenant_id
            WHERE e.external_id = ? OR lower(e.email) = lower(?)
            ORDER BY tenant_name, tenant_id
            LIMIT ?""";

    static final String CREDENTIALS = """
            SELECT t.id AS tenant_id, t.name AS tenant_name, t.slug AS tenant_slug, t.status AS tenant_status,
                   'CREDENTIAL_ID' AS kind, c.id AS matched
            FROM credentials c JOIN tenants t ON t.id = c.tenant_id
            WHERE c.id = ?""";

    private final JdbcTemplate jdbc;

    SupportSearchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Credential first (at most one), then tenants, then end users; at most {@code limit} in all. */
    List<SupportMatch> find(String query, int limit) {
        var matches = new ArrayList<SupportMatch>(jdbc.query(CREDENTIALS, MATCH, query));
        String contains = "%" + escapeLike(query.toLowerCase(java.util.Locale.ROOT)) + "%";
        if (matches.size() < limit) {
            matches.addAll(jdbc.query(TENANTS, MATCH, contains, contains, contains, contains, limit - matches.size()));
        }
        if (matches.size() < limit) {
            matches.addAll(jdbc.query(END_USERS, MATCH, query, query, query, query, limit - matches.size()));
        }
        return matches;
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
