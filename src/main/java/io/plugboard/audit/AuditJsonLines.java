package io.plugboard.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One audit event per line of JSON, with every field its hash covers, exactly as stored ({@code details}
 * stays the stored JSON text), so a reviewer can recompute each hash and check the links offline.
 */
public final class AuditJsonLines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditJsonLines() {
    }

    public static String line(AuditEvent e) {
        var fields = new LinkedHashMap<String, @Nullable Object>();
        fields.put("seq", e.seq());
        fields.put("chainIndex", e.chainIndex());
        fields.put("occurredAt", e.occurredAt().toString());
        fields.put("tenantId", e.tenantId() == null ? null : e.tenantId().toString());
        fields.put("tenant", e.tenantName());
        fields.put("actorType", e.actorType());
        fields.put("actorId", e.actorId());
        fields.put("actorLabel", e.actorLabel());
        fields.put("action", e.action());
        fields.put("targetType", e.targetType());
        fields.put("targetId", e.targetId());
        fields.put("reason", e.reason());
        fields.put("details", e.details());
        fields.put("sourceIp", e.sourceIp());
        fields.put("userAgent", e.userAgent());
        fields.put("prevHash", e.prevHash());
        fields.put("hash", e.hash());
        return JSON.writeValueAsString(fields);
    }

    static AuditEvent parse(String line) {
        JsonNode n = JSON.readTree(line);
        return new AuditEvent(n.required("seq").asLong(), Instant.parse(text(n, "occurredAt")), text(n, "actorType"),
                text(n, "actorId"), text(n, "actorLabel"),
                n.hasNonNull("tenantId") ? UUID.fromString(text(n, "tenantId")) : null, text(n, "tenant"),
                text(n, "action"), text(n, "targetType"), text(n, "targetId"), text(n, "reason"), text(n, "details"),
                text(n, "sourceIp"), text(n, "userAgent"), n.hasNonNull("chainIndex") ? n.get("chainIndex").asLong() : null,
                text(n, "prevHash"), text(n, "hash"));
    }

    private static @Nullable String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }
}
