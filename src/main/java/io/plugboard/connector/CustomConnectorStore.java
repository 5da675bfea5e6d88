package io.plugboard.connector;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Tenant custom connectors, kept as the same YAML an operator would write. Every query takes the tenant. */
@Repository
class CustomConnectorStore {

    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final JdbcTemplate jdbc;
    private final Clock clock;

    CustomConnectorStore(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    List<ConnectorDefinition> definitions(UUID tenantId) {
        return jdbc.query("SELECT definition FROM custom_connectors WHERE tenant_id = ? ORDER BY app_key",
                (rs, n) -> parse(rs.getString(1)), tenantId);
    }

    Optional<ConnectorDefinition> definition(UUID tenantId, String appKey) {
        return jdbc.query("SELECT definition FROM custom_connectors WHERE tenant_id = ? AND app_key = ?",
                (rs, n) -> parse(rs.getString(1)), tenantId, appKey).stream().findFirst();
    }

    /** Inserts or replaces; returns true when it was new. */
    boolean save(UUID tenantId, ConnectorDefinition definition) {
        var now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String yaml = WRITER.writeValueAsString(definition);
        int updated = jdbc.update("UPDATE custom_connectors SET definition = ?, updated_at = ? WHERE tenant_id = ? AND app_key = ?",
                yaml, now, tenantId, definition.appKey());
        if (updated == 0) {
            jdbc.update("INSERT INTO custom_connectors (id, tenant_id, app_key, definition, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID(), tenantId, definition.appKey(), yaml, now, now);
            return true;
        }
        return false;
    }

    boolean delete(UUID tenantId, String appKey) {
        return jdbc.update("DELETE FROM custom_connectors WHERE tenant_id = ? AND app_key = ?", tenantId, appKey) > 0;
    }

    static String yaml(ConnectorDefinition definition) {
        return WRITER.writeValueAsString(definition);
    }

    private static ConnectorDefinition parse(String yaml) {
        return ConnectorFiles.YAML.readValue(yaml, ConnectorDefinition.class);
    }
}
