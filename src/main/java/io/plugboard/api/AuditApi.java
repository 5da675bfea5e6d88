package io.plugboard.api;

import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditLog;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's audit trail for a SIEM that polls: sealed events in chain order after a cursor (a chain position),
 * with the filters of the portal's audit log, each event with the fields of a JSON Lines export line.
 */
@RestController
@Tag(name = "Audit")
class AuditApi {

    static final int MAX_LIMIT = 1000;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private final AuditLog audit;
    private final ApiTenant tenant;

    AuditApi(AuditLog audit, ApiTenant tenant) {
        this.audit = audit;
        this.tenant = tenant;
    }

    @Schema(description = "Events in chain order. Poll again with nextCursor: it is the chainIndex of the last event "
            + "returned, or the cursor sent when there was none, so polling returns only newer events.")
    record AuditEvents(List<AuditEventLine> items, String nextCursor) {
    }

    /** The fields of a JSON Lines export line, so a SIEM can check each hash as {@code audit-verify} does. */
    @Schema(description = "One audit event; hash is the SHA-256 of its canonical content including prevHash "
            + "(docs/audit.md). details is the stored JSON text, exactly as hashed.")
    record AuditEventLine(long seq, long chainIndex, String occurredAt, @Nullable UUID tenantId, @Nullable String tenant,
                 String actorType, @Nullable String actorId, @Nullable String actorLabel, String action,
                 @Nullable String targetType, @Nullable String targetId, @Nullable String reason, String details,
                 @Nullable String sourceIp, @Nullable String userAgent, String prevHash, String hash) {

        static AuditEventLine of(AuditEvent e) {
            if (e.chainIndex() == null || e.prevHash() == null || e.hash() == null) {
                throw new IllegalStateException("event " + e.seq() + " is not sealed");
            }
            return new AuditEventLine(e.seq(), e.chainIndex(), e.occurredAt().toString(), e.tenantId(), e.tenantName(),
                    e.actorType(), e.actorId(), e.actorLabel(), e.action(), e.targetType(), e.targetId(), e.reason(),
                    e.details(), e.sourceIp(), e.userAgent(), e.prevHash(), e.hash());
        }
    }

    @GetMapping("/api/v1/audit/events")
    @Operation(summary = "The tenant's audit events in chain order (oldest first) after a cursor, for a SIEM to poll")
    AuditEvents events(@Parameter(description = "part of the action, e.g. webhook.endpoint")
                       @RequestParam(required = false) @Nullable String action,
                       @Parameter(description = "part of the actor's label, or the actor's exact id (e.g. the client ID)")
                       @RequestParam(required = false) @Nullable String actor,
                       @Parameter(description = "part of the target's id or type")
                       @RequestParam(required = false) @Nullable String target,
                       @Parameter(description = "events at or after this instant, e.g. 2026-12-01T00:00:00Z")
                       @RequestParam(required = false) @Nullable String from,
                       @Parameter(description = "events before this instant")
                       @RequestParam(required = false) @Nullable String to,
                       @Parameter(description = "nextCursor of the previous call; absent: from the start of the trail")
                       @RequestParam(required = false) @Nullable String cursor,
                       @Parameter(description = "at most this many events, 1 to 1000")
                       @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit: must be between 1 and " + MAX_LIMIT);
        }
        long after = position(cursor);
        var filter = new AuditFilter(tenant.id(), instant("from", from), instant("to", to),
                TextInput.line("actor", actor, 200), TextInput.line("action", action, 200),
                TextInput.line("target", target, 200));
        List<AuditEventLine> items = audit.sealedAfter(filter, after, limit).stream().map(AuditEventLine::of).toList();
        return new AuditEvents(items, Long.toString(items.isEmpty() ? after : items.getLast().chainIndex()));
    }

    private static long position(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(cursor.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below, like a negative position
        }
        throw new InvalidRequestException("cursor: use the nextCursor of the previous call");
    }

    /** Years 1 to 9999: what PostgreSQL and every SIEM can hold. */
    private static @Nullable Instant instant(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value.strip());
            if (!instant.isBefore(EARLIEST) && instant.isBefore(LATEST)) {
                return instant;
            }
        } catch (DateTimeParseException e) {
            // answered below, like an instant out of range
        }
        throw new InvalidRequestException(field + ": use an ISO-8601 instant between the years 1 and 9999, "
                + "e.g. 2026-12-01T00:00:00Z");
    }
}
