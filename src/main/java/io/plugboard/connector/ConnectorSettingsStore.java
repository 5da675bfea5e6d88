package io.plugboard.connector;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's connector settings, in the tenant's integration row (created, disabled, when the admin sets them
 * first); every query takes the tenant.
 */
@Repository
class ConnectorSettingsStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> VALUES = new TypeReference<>() {
    };

    /** {@code secrets}: the secret settings as one sealed JSON object, for {@code destination}. */
    record Row(UUID id, Map<String, String> values, byte @Nullable [] secrets, @Nullable String destination,
               Instant updatedAt) {
    }

    /** Sealed settings and what they are bound to, for master-key rotation. */
    record SealedSettings(UUID id, UUID tenantId, byte[] secrets, @Nullable String destination) {
    }

    private final JdbcTemplate jdbc;

    ConnectorSettingsStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    Optional<Row> find(UUID tenantId, String appKey) {
        return jdbc.query("SELECT id, setting_values, secret_settings, secret_settings_destination, updated_at "
                + "FROM integrations WHERE tenant_id = ? AND app_key = ?", (rs, n) -> new Row(
                        rs.getObject(1, UUID.class), values(rs.getString(2)), rs.getBytes(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant()), tenantId, appKey).stream().findFirst();
    }

    /**
     * The tenant's row for the connector, locked for the rest of the transaction, so two admins saving at once
     * each add to what the other saved; created (disabled, no OAuth app) when the tenant has none yet.
     */
    Row lock(UUID tenantId, String appKey, Instant now) {
        jdbc.update("INSERT INTO integrations (id, tenant_id, app_key, enabled, updated_at) VALUES (?, ?, ?, false, ?) "
                + "ON CONFLICT (tenant_id, app_key) DO NOTHING", UUID.randomUUID(), tenantId, appKey,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        return jdbc.query("SELECT id, setting_values, secret_settings, secret_settings_destination, updated_at "
                + "FROM integrations WHERE tenant_id = ? AND app_key = ? FOR UPDATE", (rs, n) -> new Row(
                        rs.getObject(1, UUID.class), values(rs.getString(2)), rs.getBytes(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant()), tenantId, appKey).getFirst();
    }

    void write(UUID tenantId, UUID id, Map<String, String> values, byte @Nullable [] secrets,
               @Nullable String destination, Instant now) {
        jdbc.update("UPDATE integrations SET setting_values = ?, secret_settings = ?, secret_settings_destination = ?, "
                + "updated_at = ? WHERE tenant_id = ? AND id = ?", values.isEmpty() ? null : JSON.writeValueAsString(values),
                secrets, destination, OffsetDateTime.ofInstant(now, ZoneOffset.UTC), tenantId, id);
    }

    /** The connector's destination changed: its secret settings must be entered again. Whether any were stored. */
    boolean clearSecrets(UUID tenantId, String appKey, Instant now) {
        return jdbc.update("UPDATE integrations SET secret_settings = NULL, secret_settings_destination = NULL, "
                + "updated_at = ? WHERE tenant_id = ? AND app_key = ? AND secret_settings IS NOT NULL",
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC), tenantId, appKey) > 0;
    }

    long countSecretsNotOn(byte[] keyId) {
        return jdbc.queryForObject("SELECT count(*) FROM integrations WHERE secret_settings IS NOT NULL "
                + "AND substring(secret_settings from 2 for 4) <> ?", Long.class, keyId);
    }

    /** The next sealed settings after {@code afterId} sealed with a key other than {@code keyId}, for re-sealing. */
    List<SealedSettings> secretsNotOn(byte[] keyId, UUID afterId, int limit) {
        return jdbc.query("SELECT id, tenant_id, secret_settings, secret_settings_destination FROM integrations "
                + "WHERE id > ? AND secret_settings IS NOT NULL AND substring(secret_settings from 2 for 4) <> ? "
                + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", (rs, n) -> new SealedSettings(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBytes(3), rs.getString(4)),
                afterId, keyId, limit);
    }

    /** Re-encryption under the primary key; compared, so settings saved meanwhile are not overwritten. */
    boolean reseal(SealedSettings read, byte[] secrets) {
        return jdbc.update("UPDATE integrations SET secret_settings = ? WHERE id = ? AND secret_settings = ?", secrets,
                read.id(), read.secrets()) == 1;
    }

    static Map<String, String> values(@Nullable String json) {
        return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, VALUES);
    }
}
