package io.plugboard.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code /api/v1/audit/events}: the tenant's audit trail in chain order, after a cursor, for a SIEM (a tenant-wide
 * token only). The cursor is a chain position: polling with the last {@code nextCursor} never skips or repeats an
 * event. Pulling is not itself audited.
 */
public final class AuditEvents {

    private static final String PATH = "/api/v1/audit/events";

    private final Http http;
    private final TokenSource token;

    AuditEvents(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    /**
     * One poll: up to {@code limit} (1 to 1000) events after {@code cursor} (null: from the start) that match
     * {@code filter} (null: all). Its {@code nextCursor} is always set: poll with it next, also when nothing came.
     */
    public AuditPage after(String cursor, AuditFilter filter, int limit) {
        AuditFilter f = filter == null ? AuditFilter.all() : filter;
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("cursor", cursor);
        parameters.put("action", f.action());
        parameters.put("actor", f.actor());
        parameters.put("target", f.target());
        parameters.put("from", f.from() == null ? null : f.from().toString());
        parameters.put("to", f.to() == null ? null : f.to().toString());
        parameters.put("limit", Integer.toString(limit));
        return http.call(token, "GET", PATH + Http.query(parameters), null, AuditPage.class);
    }

    /**
     * Every matching event after {@code cursor} until caught up (a page shorter than {@code limit}), fetched page by
     * page as the stream is consumed. The last event's {@link AuditEvent#cursor()} is where the next run starts.
     */
    public Stream<AuditEvent> stream(String cursor, AuditFilter filter, int limit) {
        // Only the first fetch has no cursor of its own: every answer carries one.
        return CursorPages.stream(next -> {
            AuditPage page = after(next == null ? cursor : next, filter, limit);
            return new CursorPages.Page<>(page.items(), page.items().size() < limit ? null : page.nextCursor());
        });
    }

    /**
     * The portal's filters, each null for "any": {@code action} a prefix such as {@code webhook.}, {@code actor} part
     * of the label or the exact id, {@code target} part of its id or type, {@code from} inclusive, {@code to}
     * exclusive.
     */
    public record AuditFilter(String action, String actor, String target, Instant from, Instant to) {

        public static AuditFilter all() {
            return new AuditFilter(null, null, null, null, null);
        }

        public AuditFilter action(String action) {
            return new AuditFilter(action, actor, target, from, to);
        }

        public AuditFilter actor(String actor) {
            return new AuditFilter(action, actor, target, from, to);
        }

        public AuditFilter target(String target) {
            return new AuditFilter(action, actor, target, from, to);
        }

        public AuditFilter between(Instant from, Instant to) {
            return new AuditFilter(action, actor, target, from, to);
        }
    }

    /** One poll's events, oldest first, and the cursor to poll with next. */
    public record AuditPage(List<AuditEvent> items, String nextCursor) {

        public AuditPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /**
     * One audit event, with exactly the fields of a line of the portal's JSON Lines export ({@code details} the stored
     * JSON text, as hashed), so {@code audit-verify} can check it.
     */
    public record AuditEvent(long seq, long chainIndex, String occurredAt, String tenantId, String tenant,
                             String actorType, String actorId, String actorLabel, String action, String targetType,
                             String targetId, String reason, String details, String sourceIp, String userAgent,
                             String prevHash, String hash) {

        /** This event's chain position as a cursor: polling after it starts with the next event. */
        public String cursor() {
            return Long.toString(chainIndex);
        }
    }
}
