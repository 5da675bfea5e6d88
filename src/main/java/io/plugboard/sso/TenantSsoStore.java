package io.plugboard.sso;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code tenant_sso} rows and the tenant's break-glass admin; the caller states the tenant scope. */
@Repository
class TenantSsoStore {

    private final JdbcTemplate jdbc;

    TenantSsoStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    record Row(UUID tenantId, String issuer, String clientId, byte[] clientSecret, List<String> allowedDomains,
               @Nullable String roleClaim, List<String> adminValues, List<String> auditorValues,
               @Nullable String defaultRole, boolean required, Instant updatedAt) {
    }

    Optional<Row> find(UUID tenantId) {
        return jdbc.query("SELECT * FROM tenant_sso WHERE tenant_id = ?", TenantSsoStore::row, tenantId)
                .stream().findFirst();
    }

    /** The tenants whose provider takes {@code domain}: one at most, unless the caller raced another's write. */
    List<UUID> tenantsOfDomain(String domain) {
        return jdbc.queryForList("SELECT tenant_id FROM tenant_sso WHERE allowed_domains @> ARRAY[?]::text[]",
                UUID.class, domain);
    }

    /** Which of {@code domains} another tenant's provider already takes. */
    List<String> domainsTakenByOthers(UUID tenantId, List<String> domains) {
        return jdbc.queryForList("""
                SELECT DISTINCT d FROM tenant_sso, unnest(allowed_domains) AS d
                WHERE tenant_id <> ? AND d = ANY (?::text[]) ORDER BY d""", String.class, tenantId,
                domains.toArray(String[]::new));
    }

    /** Which of {@code domains} hold portal users of another tenant, or platform staff. */
    List<String> domainsWithUsersElsewhere(UUID tenantId, List<String> domains) {
        return jdbc.queryForList("""
                SELECT DISTINCT lower(split_part(email, '@', 2)) AS d FROM portal_users
                WHERE tenant_id IS DISTINCT FROM ? AND lower(split_part(email, '@', 2)) = ANY (?::text[])
                ORDER BY d""", String.class, tenantId, domains.toArray(String[]::new));
    }

    void save(Row row) {
        jdbc.update("""
                INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret, allowed_domains, role_claim,
                                        admin_values, auditor_values, default_role, required, updated_at)
                VALUES (?, ?, ?, ?, ?::text[], ?, ?::text[], ?::text[], ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
                    client_secret = EXCLUDED.client_secret, allowed_domains = EXCLUDED.allowed_domains,
                    role_claim = EXCLUDED.role_claim, admin_values = EXCLUDED.admin_values,
                    auditor_values = EXCLUDED.auditor_values, default_role = EXCLUDED.default_role,
                    required = EXCLUDED.required, updated_at = EXCLUDED.updated_at""",
                row.tenantId(), row.issuer(), row.clientId(), row.clientSecret(),
                row.allowedDomains().toArray(String[]::new), row.roleClaim(),
                row.adminValues().toArray(String[]::new), row.auditorValues().toArray(String[]::new),
                row.defaultRole(), row.required(), OffsetDateTime.ofInstant(row.updatedAt(), ZoneOffset.UTC));
    }

    boolean delete(UUID tenantId) {
        return jdbc.update("DELETE FROM tenant_sso WHERE tenant_id = ?", tenantId) == 1;
    }

    @Nullable UUID breakGlass(UUID tenantId) {
        return jdbc.queryForList("SELECT sso_break_glass_user_id FROM tenants WHERE id = ?", UUID.class, tenantId)
                .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    @Nullable String breakGlassEmail(UUID tenantId) {
        return jdbc.queryForList("""
                SELECT u.email FROM tenants t JOIN portal_users u ON u.id = t.sso_break_glass_user_id
                WHERE t.id = ?""", String.class, tenantId).stream().findFirst().orElse(null);
    }

    long countNotOnPrimary(byte[] primaryKeyId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM tenant_sso WHERE substring(client_secret from 2 for 4) <> ?",
                Long.class, primaryKeyId);
        return count == null ? 0 : count;
    }

    record Sealed(UUID tenantId, byte[] secret) {
    }

    List<Sealed> notOnPrimary(UUID after, byte[] primaryKeyId, int limit) {
        return jdbc.query("SELECT tenant_id, client_secret FROM tenant_sso WHERE tenant_id > ? "
                        + "AND substring(client_secret from 2 for 4) <> ? ORDER BY tenant_id LIMIT ? "
                        + "FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Sealed(rs.getObject(1, UUID.class), rs.getBytes(2)), after, primaryKeyId, limit);
    }

    /** Compare-and-set: written only while the row still holds {@code read}. */
    boolean replaceSecret(UUID tenantId, byte[] read, byte[] resealed) {
        return jdbc.update("UPDATE tenant_sso SET client_secret = ? WHERE tenant_id = ? AND client_secret = ?",
                resealed, tenantId, read) == 1;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("tenant_id", UUID.class), rs.getString("issuer"), rs.getString("client_id"),
                rs.getBytes("client_secret"), list(rs.getArray("allowed_domains")), rs.getString("role_claim"),
                list(rs.getArray("admin_values")), list(rs.getArray("auditor_values")), rs.getString("default_role"),
                rs.getBoolean("required"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static List<String> list(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
