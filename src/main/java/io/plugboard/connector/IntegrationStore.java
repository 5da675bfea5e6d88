package io.plugboard.connector;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Integration rows; every query takes the tenant. */
@Repository
class IntegrationStore {

    /** {@code clientSecretDestination}: the fingerprint the client secret was sealed for (see {@link Destination}). */
    record Row(UUID id, String appKey, boolean enabled, @Nullable String clientId, byte @Nullable [] clientSecret,
               @Nullable String clientSecretDestination, List<String> scopes, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;

    IntegrationStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    List<Row> all(UUID tenantId) {
        return jdbc.query("SELECT * FROM integrations WHERE tenant_id = ?", IntegrationStore::map, tenantId);
    }

    Optional<Row> find(UUID tenantId, String appKey) {
        return jdbc.query("SELECT * FROM integrations WHERE tenant_id = ? AND app_key = ?", IntegrationStore::map,
                tenantId, appKey).stream().findFirst();
    }

    /** The row locked for the rest of the transaction, so a read-modify-write does not undo a concurrent one. */
    Optional<Row> lock(UUID tenantId, String appKey) {
        return jdbc.query("SELECT * FROM integrations WHERE tenant_id = ? AND app_key = ? FOR UPDATE",
                IntegrationStore::map, tenantId, appKey).stream().findFirst();
    }

    /** The app keys of the tenant's enabled integrations. */
    Set<String> enabledAppKeys(UUID tenantId) {
        return Set.copyOf(jdbc.queryForList("SELECT app_key FROM integrations WHERE tenant_id = ? AND enabled",
                String.class, tenantId));
    }

    /**
     * Writes the admin's settings. The client secret and the destination it was sealed for are written only with a
     * newly entered secret: a destination change that cleared them after this edit read the row must stay cleared.
     */
    void upsert(UUID tenantId, Row row, boolean newSecret) {
        jdbc.update("""
                INSERT INTO integrations (id, tenant_id, app_key, enabled, client_id, client_secret,
                    client_secret_destination, scopes, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, app_key) DO UPDATE SET enabled = EXCLUDED.enabled,
                    client_id = EXCLUDED.client_id,
                    client_secret = CASE WHEN ? THEN EXCLUDED.client_secret ELSE integrations.client_secret END,
                    client_secret_destination = CASE WHEN ? THEN EXCLUDED.client_secret_destination
                        ELSE integrations.client_secret_destination END,
                    scopes = EXCLUDED.scopes, updated_at = EXCLUDED.updated_at""",
                row.id(), tenantId, row.appKey(), row.enabled(), row.clientId(), row.clientSecret(),
                row.clientSecretDestination(),
                String.join(" ", row.scopes()), OffsetDateTime.ofInstant(row.updatedAt(), ZoneOffset.UTC),
                newSecret, newSecret);
    }

    List<Row> withSecrets() {
        return jdbc.query("SELECT * FROM integrations WHERE client_secret IS NOT NULL", IntegrationStore::map);
    }

    UUID tenantOf(UUID id) {
        return jdbc.queryForObject("SELECT tenant_id FROM integrations WHERE id = ?", UUID.class, id);
    }

    /** Where a walk over the table in id order starts: PostgreSQL orders uuids by their bytes, unsigned. */
    static final UUID NO_ID = new UUID(0, 0);

    /** A client secret and what it is bound to, for master-key rotation. */
    record SealedSecret(UUID id, UUID tenantId, byte[] secret, @Nullable String destination) {
    }

    long countSecretsNotOn(byte[] keyId) {
        return jdbc.queryForObject("SELECT count(*) FROM integrations WHERE client_secret IS NOT NULL "
                + "AND substring(client_secret from 2 for 4) <> ?", Long.class, keyId);
    }

    /** The next client secrets after {@code afterId} sealed with a key other than {@code keyId}, for re-sealing. */
    List<SealedSecret> secretsNotOn(byte[] keyId, UUID afterId, int limit) {
        return jdbc.query("SELECT id, tenant_id, client_secret, client_secret_destination FROM integrations "
                + "WHERE id > ? AND client_secret IS NOT NULL AND substring(client_secret from 2 for 4) <> ? "
                + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", (rs, n) -> new SealedSecret(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getBytes(3), rs.getString(4)), afterId, keyId, limit);
    }

    /** Re-encryption under the primary key; compared, so a secret entered meanwhile is not overwritten. */
    boolean reseal(SealedSecret read, byte[] secret) {
        return jdbc.update("UPDATE integrations SET client_secret = ? WHERE id = ? AND client_secret = ?", secret,
                read.id(), read.secret()) == 1;
    }

    /** Binds a secret sealed before destinations were bound, unless another instance did it first. */
    int bindDestination(Row row, byte[] secret, String destination) {
        return jdbc.update("UPDATE integrations SET client_secret = ?, client_secret_destination = ? WHERE id = ? "
                + "AND client_secret_destination IS NULL AND client_secret = ?", secret, destination, row.id(),
                row.clientSecret());
    }

    /** A connector's client secrets bound to one of {@code destinations}: one row per tenant at most. */
    List<SealedSecret> boundTo(String appKey, Collection<String> destinations) {
        return jdbc.query("SELECT id, tenant_id, client_secret, client_secret_destination FROM integrations "
                        + "WHERE app_key = ? AND client_secret IS NOT NULL AND client_secret_destination = ANY(?) "
                        + "ORDER BY id", (rs, n) -> new SealedSecret(rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class), rs.getBytes(3), rs.getString(4)),
                appKey, destinations.toArray(String[]::new));
    }

    /** Moves a secret to its connector's new destination, unless another instance did or the secret changed. */
    int moveDestination(SealedSecret row, byte[] secret, String destination) {
        return jdbc.update("UPDATE integrations SET client_secret = ?, client_secret_destination = ? WHERE id = ? "
                + "AND client_secret_destination = ? AND client_secret = ?", secret, destination, row.id(),
                row.destination(), row.secret());
    }

    /** The connector's destination changed: the secret must be entered again. Returns whether one was stored. */
    boolean clearClientSecret(UUID tenantId, String appKey, Instant now) {
        return jdbc.update("UPDATE integrations SET client_secret = NULL, client_secret_destination = NULL, "
                + "updated_at = ? WHERE tenant_id = ? AND app_key = ? AND client_secret IS NOT NULL",
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC), tenantId, appKey) > 0;
    }

    /** Forgets the OAuth app (client ID, secret, scopes); returns whether there was anything to forget. */
    boolean clearOAuthApp(UUID tenantId, String appKey, Instant now) {
        return jdbc.update("UPDATE integrations SET client_id = NULL, client_secret = NULL, "
                + "client_secret_destination = NULL, scopes = '', updated_at = ? WHERE tenant_id = ? AND app_key = ? "
                + "AND (client_id IS NOT NULL OR client_secret IS NOT NULL OR coalesce(scopes, '') <> '')",
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC), tenantId, appKey) > 0;
    }

    /** The integration of a deleted connector, with its OAuth app and settings. */
    boolean delete(UUID tenantId, String appKey) {
        return jdbc.update("DELETE FROM integrations WHERE tenant_id = ? AND app_key = ?", tenantId, appKey) > 0;
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        String scopes = rs.getString("scopes");
        return new Row(rs.getObject("id", UUID.class), rs.getString("app_key"), rs.getBoolean("enabled"),
                rs.getString("client_id"), rs.getBytes("client_secret"), rs.getString("client_secret_destination"),
                scopes == null || scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
