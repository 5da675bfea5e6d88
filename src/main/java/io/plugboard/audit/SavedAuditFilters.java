package io.plugboard.audit;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named audit filters, private to the reviewer who saved them and to the tenant (or platform-wide view)
 * they were saved in. Saving and deleting are audited like any other change.
 */
@Service
@PreAuthorize("hasAnyRole('TENANT_ADMIN', 'AUDITOR', 'SUPPORT', 'PLATFORM_ADMIN')")
@Transactional(readOnly = true)
public class SavedAuditFilters {

    static final int MAX_PER_VIEW = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Clock clock;

    SavedAuditFilters(JdbcTemplate jdbc, CurrentUser currentUser, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.audit = audit;
        this.clock = clock;
    }

    public List<SavedAuditFilter> list() {
        UUID tenantId = tenant();
        return jdbc.query("""
                SELECT id, name, filter FROM audit_saved_filters
                WHERE user_id = ? AND tenant_id IS NOT DISTINCT FROM ? ORDER BY lower(name)""",
                (rs, n) -> new SavedAuditFilter(rs.getObject("id", UUID.class), rs.getString("name"),
                        fromJson(tenantId, rs.getString("filter"))),
                currentUser.require().userId(), tenantId);
    }

    @Transactional
    public SavedAuditFilter save(String name, AuditFilter filter) {
        PortalPrincipal principal = currentUser.require();
        UUID tenantId = tenant();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 80) {
            throw new InvalidRequestException("Give the filter a name of 1 to 80 characters.");
        }
        if (list().size() >= MAX_PER_VIEW) {
            throw new InvalidRequestException("You have " + MAX_PER_VIEW + " saved filters here; delete one first.");
        }
        var saved = new SavedAuditFilter(UUID.randomUUID(), trimmed, withTenant(filter, tenantId));
        try {
            jdbc.update("""
                    INSERT INTO audit_saved_filters (id, user_id, tenant_id, name, filter, created_at)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?)""", saved.id(), principal.userId(), tenantId, trimmed,
                    toJson(filter), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        } catch (DuplicateKeyException e) {
            throw new InvalidRequestException("You already have a filter named “" + trimmed + "”.");
        }
        audit.record(AuditRecord.of("audit.filter.saved", tenantId).target("audit_filter", saved.id().toString())
                .detail("name", trimmed));
        return saved;
    }

    @Transactional
    public void delete(UUID id) {
        UUID tenantId = tenant();
        int deleted = jdbc.update("DELETE FROM audit_saved_filters WHERE id = ? AND user_id = ? AND tenant_id IS NOT DISTINCT FROM ?",
                id, currentUser.require().userId(), tenantId);
        if (deleted > 0) {
            audit.record(AuditRecord.of("audit.filter.deleted", tenantId).target("audit_filter", id.toString()));
        }
    }

    private @Nullable UUID tenant() {
        return currentUser.tenant().map(t -> t.tenantId()).orElse(null);
    }

    private static AuditFilter withTenant(AuditFilter f, @Nullable UUID tenantId) {
        return new AuditFilter(tenantId, f.from(), f.to(), f.actor(), f.action(), f.target());
    }

    private static String toJson(AuditFilter f) {
        var fields = new LinkedHashMap<String, @Nullable Object>();
        fields.put("from", f.from() == null ? null : f.from().toString());
        fields.put("to", f.to() == null ? null : f.to().toString());
        fields.put("actor", f.actor());
        fields.put("action", f.action());
        fields.put("target", f.target());
        return JSON.writeValueAsString(fields);
    }

    private static AuditFilter fromJson(@Nullable UUID tenantId, String json) {
        JsonNode n = JSON.readTree(json);
        return new AuditFilter(tenantId, instant(n, "from"), instant(n, "to"), text(n, "actor"), text(n, "action"),
                text(n, "target"));
    }

    private static @Nullable Instant instant(JsonNode n, String field) {
        String value = text(n, field);
        return value == null ? null : Instant.parse(value);
    }

    private static @Nullable String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asString() : null;
    }
}
