package io.plugboard.proxy;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.security.CurrentUser;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Saved console requests per connector, shared within a tenant. They hold no secrets: the proxy injects
 * the credential, and headers that carry credentials are refused here (the proxy would drop them anyway).
 */
@Service
@Transactional(readOnly = true)
public class RequestTemplates {

    static final int MAX_PER_CONNECTOR = 100;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "api-key");
    private static final RowMapper<RequestTemplate> MAPPER = (rs, n) -> new RequestTemplate(
            rs.getObject("id", UUID.class), rs.getString("app_key"), rs.getString("name"), rs.getString("method"),
            rs.getString("path"), rs.getString("query"), rs.getString("headers"), rs.getString("body"),
            rs.getString("created_by"));

    private final JdbcTemplate jdbc;
    private final TenantConnectors connectors;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    RequestTemplates(JdbcTemplate jdbc, TenantConnectors connectors, AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.jdbc = jdbc;
        this.connectors = connectors;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    /** The tenant's templates for these connectors (all connectors when empty), by connector and name. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public List<RequestTemplate> list(UUID tenantId, List<String> appKeys) {
        currentUser.requireTenant(tenantId);
        return appKeys.isEmpty()
                ? jdbc.query("SELECT * FROM request_templates WHERE tenant_id = ? ORDER BY app_key, lower(name)",
                        MAPPER, tenantId)
                : jdbc.query("""
                        SELECT * FROM request_templates WHERE tenant_id = ? AND app_key = ANY (?)
                        ORDER BY app_key, lower(name)""", MAPPER, tenantId, appKeys.toArray(String[]::new));
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    @Transactional
    public RequestTemplate save(UUID tenantId, String appKey, String name, ApiConsole.ConsoleRequest request,
                                String headersText) {
        currentUser.requireWritableTenant(tenantId);
        connectors.find(tenantId, appKey).orElseThrow(() -> new InvalidRequestException("Unknown connector " + appKey + "."));
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 80) {
            throw new InvalidRequestException("Give the template a name of 1 to 80 characters.");
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new InvalidRequestException("Method must be one of " + String.join(", ", METHODS) + ".");
        }
        if (request.path().isBlank() || request.path().length() > 2000) {
            throw new InvalidRequestException("Enter a path of at most 2000 characters, e.g. /me.");
        }
        if (request.query() != null && request.query().length() > 2000) {
            throw new InvalidRequestException("The query is longer than 2000 characters.");
        }
        request.headers().keySet().stream().filter(h -> SECRET_HEADERS.contains(h.toLowerCase(Locale.ROOT))).findFirst()
                .ifPresent(h -> {
                    throw new InvalidRequestException("Templates keep no credentials: remove the " + h
                            + " header (Plugboard adds the credential itself).");
                });
        Integer count = jdbc.queryForObject("SELECT count(*) FROM request_templates WHERE tenant_id = ? AND app_key = ?",
                Integer.class, tenantId, appKey);
        if (count != null && count >= MAX_PER_CONNECTOR) {
            throw new InvalidRequestException("This connector has " + MAX_PER_CONNECTOR + " templates; delete one first.");
        }
        String by = currentUser.principal().map(p -> p.email()).orElse("portal");
        var template = new RequestTemplate(UUID.randomUUID(), appKey, trimmed, method, request.path().strip(),
                blank(request.query()), headersText == null ? "" : headersText.strip(), blank(request.body()), by);
        try {
            jdbc.update("""
                    INSERT INTO request_templates (id, tenant_id, app_key, name, method, path, query, headers, body,
                        created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    template.id(), tenantId, appKey, trimmed, method, template.path(), template.query(),
                    template.headers(), template.body(), by, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        } catch (DuplicateKeyException e) {
            throw new InvalidRequestException("This connector already has a template named “" + trimmed + "”.");
        }
        audit.record(AuditRecord.of("console.template.saved", tenantId).target("request_template", template.id().toString())
                .detail("connector", appKey).detail("name", trimmed).detail("method", method)
                .detail("path", template.path()));
        return template;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    @Transactional
    public void delete(UUID tenantId, UUID id) {
        currentUser.requireWritableTenant(tenantId);
        List<RequestTemplate> found = jdbc.query("SELECT * FROM request_templates WHERE tenant_id = ? AND id = ?",
                MAPPER, tenantId, id);
        if (found.isEmpty()) {
            return;
        }
        jdbc.update("DELETE FROM request_templates WHERE tenant_id = ? AND id = ?", tenantId, id);
        audit.record(AuditRecord.of("console.template.deleted", tenantId).target("request_template", id.toString())
                .detail("connector", found.getFirst().appKey()).detail("name", found.getFirst().name()));
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
