package io.plugboard.webhook;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * SQL for endpoints, the outbox and deliveries. Every statement a tenant's request leads to takes the tenant; the
 * worker's statements address rows by the ids it claimed.
 */
@Repository
class WebhookStore {

    /** A sealed endpoint row, for the service and for key rotation. */
    record EndpointRow(UUID id, UUID tenantId, String url, @Nullable String description, List<String> eventTypes,
                       boolean enabled, @Nullable String disabledReason, byte[] secret, byte @Nullable [] previousSecret,
                       @Nullable Instant previousSecretUntil, Instant secretRotatedAt, int consecutiveFailures,
                       @Nullable Instant lastSuccessAt, @Nullable Instant lastFailureAt, Instant createdAt) {
    }

    /** A delivery a worker has leased: everything it needs to make the attempt. */
    record Claimed(long id, UUID tenantId, UUID endpointId, String eventId, String eventType,
                   @Nullable String orderingKey, int attempts, Instant giveUpAt, UUID leaseToken, String url,
                   String payload, byte[] secret, byte @Nullable [] previousSecret,
                   @Nullable Instant previousSecretUntil) {
    }

    private static final String ENDPOINT_COLUMNS = """
            id, tenant_id, url, description, event_types, enabled, disabled_reason, secret, previous_secret,
            previous_secret_until, secret_rotated_at, consecutive_failures, last_success_at, last_failure_at, created_at""";

    private static final String DELIVERY_COLUMNS = """
            d.id, d.event_id, d.event_type, d.endpoint_id, e.url, d.status, d.attempts, d.last_status_code, d.last_error,
            d.last_response, d.last_attempt_at, d.next_attempt_at, d.delivered_at, d.created_at""";

    private final JdbcTemplate jdbc;

    WebhookStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // ---------------------------------------------------------------- endpoints

    List<EndpointRow> endpoints(UUID tenantId) {
        return jdbc.query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE tenant_id = ? ORDER BY created_at, id",
                WebhookStore::endpoint, tenantId);
    }

    Optional<EndpointRow> endpoint(UUID tenantId, UUID id) {
        return jdbc.query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE tenant_id = ? AND id = ?",
                WebhookStore::endpoint, tenantId, id).stream().findFirst();
    }

    /**
     * Locks the endpoint's row before any of its delivery rows (the lock order of every endpoint change and of the
     * worker's outcomes). NO KEY UPDATE, like any UPDATE of it: it does not block the foreign-key checks of outbox
     * inserts.
     */
    Optional<EndpointRow> lockEndpoint(UUID tenantId, UUID id) {
        return jdbc.query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE tenant_id = ? AND id = ? "
                + "FOR NO KEY UPDATE",
                WebhookStore::endpoint, tenantId, id).stream().findFirst();
    }

    long countEndpoints(UUID tenantId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?", Long.class, tenantId);
        return count == null ? 0 : count;
    }

    void insertEndpoint(UUID tenantId, UUID id, String url, @Nullable String description, List<String> eventTypes,
                        byte[] secret, Instant now) {
        jdbc.update("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, enabled, secret,
                    secret_rotated_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, true, ?, ?, ?, ?)""",
                id, tenantId, url, description, eventTypes.toArray(String[]::new), secret, utc(now), utc(now), utc(now));
    }

    int updateEndpoint(UUID tenantId, UUID id, String url, @Nullable String description, List<String> eventTypes,
                       Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, updated_at = ?
                WHERE tenant_id = ? AND id = ?""",
                url, description, eventTypes.toArray(String[]::new), utc(now), tenantId, id);
    }

    /** Enabling starts afresh: the failures that led to disabling no longer count. */
    int setEnabled(UUID tenantId, UUID id, boolean enabled, @Nullable String reason, Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ?,
                    consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END, updated_at = ?
                WHERE tenant_id = ? AND id = ?""", enabled, enabled ? null : reason, enabled, utc(now), tenantId, id);
    }

    int deleteEndpoint(UUID tenantId, UUID id) {
        return jdbc.update("DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantId, id);
    }

    int rotateSecret(UUID tenantId, UUID id, byte[] secret, byte @Nullable [] previous, @Nullable Instant previousUntil,
                     Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_until = ?,
                    secret_rotated_at = ?, updated_at = ?
                WHERE tenant_id = ? AND id = ?""",
                secret, previous, utc(previousUntil), utc(now), utc(now), tenantId, id);
    }

    /** Where a walk over the endpoints in id order starts: PostgreSQL orders uuids by their bytes, unsigned. */
    static final UUID NO_ID = new UUID(0, 0);

    private static final String NOT_ON_KEY = "(substring(secret from 2 for 4) <> ? "
            + "OR substring(previous_secret from 2 for 4) <> ?)";

    /** Endpoints with a secret (current or previous) sealed with a key other than {@code keyId}. */
    long countSecretsNotOn(byte[] keyId) {
        return jdbc.queryForObject("SELECT count(*) FROM webhook_endpoints WHERE " + NOT_ON_KEY, Long.class,
                keyId, keyId);
    }

    /** The next such endpoints after {@code afterId}, for re-sealing under a new master key. */
    List<EndpointRow> secretsNotOn(byte[] keyId, UUID afterId, int limit) {
        return jdbc.query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id > ? AND " + NOT_ON_KEY
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", WebhookStore::endpoint, afterId, keyId, keyId, limit);
    }

    /**
     * Writes re-sealed copies of the secrets {@code read} held, only while the row still holds them: a rotation since
     * the read stays (it sealed its secrets with the primary key already). Returns whether it wrote.
     */
    boolean resealSecrets(EndpointRow read, byte[] secret, byte @Nullable [] previous) {
        return jdbc.update("UPDATE webhook_endpoints SET secret = ?, previous_secret = ? WHERE id = ? AND secret = ? "
                + "AND previous_secret IS NOT DISTINCT FROM ?", secret, previous, read.id(), read.secret(),
                read.previousSecret()) == 1;
    }

    // ---------------------------------------------------------------- outbox

    /**
     * Writes the event and one pending delivery per enabled endpoint of the tenant that subscribes to its type,
     * in one statement; writes nothing when no endpoint subscribes. Returns the number of deliveries.
     */
    int enqueue(UUID tenantId, String eventId, String type, String payload, @Nullable String orderingKey,
                Instant now, Instant giveUpAt) {
        return jdbc.update("""
                WITH targets AS (
                    SELECT id FROM webhook_endpoints WHERE tenant_id = ? AND enabled AND ? = ANY (event_types)
                ), event AS (
                    INSERT INTO webhook_events (id, tenant_id, type, payload, created_at)
                    SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM targets)
                    RETURNING id
                )
                INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, ordering_key, status,
                    next_attempt_at, give_up_at, created_at)
                SELECT ?, t.id, event.id, ?, ?, 'PENDING',
                       GREATEST(?, (SELECT max(p.next_attempt_at) FROM webhook_deliveries p
                                    WHERE p.endpoint_id = t.id AND p.ordering_key = ? AND p.status = 'PENDING')),
                       ?, ?
                FROM targets t CROSS JOIN event""",
                tenantId, type, eventId, tenantId, type, payload, utc(now),
                tenantId, type, orderingKey, utc(now), orderingKey, utc(giveUpAt), utc(now));
    }

    List<UUID> tenantsSubscribedTo(String type) {
        return jdbc.queryForList("SELECT DISTINCT tenant_id FROM webhook_endpoints WHERE enabled AND ? = ANY (event_types)",
                UUID.class, type);
    }

    /** A test event for one endpoint of the tenant, whatever it subscribes to. */
    int enqueueTest(UUID tenantId, UUID endpointId, String eventId, String payload, Instant now, Instant giveUpAt) {
        return jdbc.update("""
                WITH target AS (
                    SELECT id FROM webhook_endpoints WHERE tenant_id = ? AND id = ? AND enabled
                ), event AS (
                    INSERT INTO webhook_events (id, tenant_id, type, payload, created_at)
                    SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM target)
                    RETURNING id
                )
                INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, status, next_attempt_at,
                    give_up_at, created_at)
                SELECT ?, t.id, event.id, ?, 'PENDING', ?, ?, ? FROM target t CROSS JOIN event""",
                tenantId, endpointId, eventId, tenantId, WebhookEventType.TEST, payload, utc(now),
                tenantId, WebhookEventType.TEST, utc(now), utc(giveUpAt), utc(now));
    }

    // ---------------------------------------------------------------- the worker

    /**
     * Leases up to {@code limit} due deliveries of enabled endpoints, sharing the slots fairly: at most
     * {@code perEndpoint} in flight per endpoint (live leases of every worker count), and endpoints with fewer in
     * flight go first, so neither one slow receiver's backlog nor a fast one's stream of retries keeps another
     * endpoint waiting. A delivery is due when its time has come, nobody holds a live lease on it, and no earlier
     * delivery of the same credential to the same endpoint is still pending. SKIP LOCKED lets several workers claim
     * side by side without waiting for or taking each other's rows; two claiming at the same moment may each fill
     * an endpoint's quota.
     */
    List<Claimed> claim(int limit, int perEndpoint, Instant now, Instant leaseUntil, UUID leaseToken) {
        return jdbc.query("""
                UPDATE webhook_deliveries d SET lease_until = ?, lease_token = ?
                FROM webhook_events ev, webhook_endpoints e
                WHERE d.id IN (
                    SELECT c.id FROM webhook_deliveries c
                    WHERE c.id IN (
                        SELECT turns.id FROM (
                            SELECT due.id, due.next_attempt_at, busy.n + row_number() OVER (
                                       PARTITION BY ce.id ORDER BY due.next_attempt_at, due.id) AS turn
                            FROM webhook_endpoints ce
                            CROSS JOIN LATERAL (SELECT count(*) AS n FROM webhook_deliveries l
                                                WHERE l.endpoint_id = ce.id AND l.status = 'PENDING'
                                                  AND l.lease_until >= ?) busy
                            CROSS JOIN LATERAL (
                                SELECT x.id, x.next_attempt_at FROM webhook_deliveries x
                                WHERE x.endpoint_id = ce.id AND x.status = 'PENDING' AND x.next_attempt_at <= ?
                                  AND (x.lease_until IS NULL OR x.lease_until < ?)
                                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                                                  WHERE p.endpoint_id = x.endpoint_id
                                                    AND p.ordering_key = x.ordering_key
                                                    AND p.status = 'PENDING' AND p.id < x.id)
                                ORDER BY x.next_attempt_at, x.id
                                LIMIT GREATEST(0, ? - busy.n)) due
                            WHERE ce.enabled) turns
                        ORDER BY turns.turn, turns.next_attempt_at, turns.id
                        LIMIT ?)
                      AND c.status = 'PENDING' AND (c.lease_until IS NULL OR c.lease_until < ?)
                    FOR UPDATE OF c SKIP LOCKED)
                  AND ev.id = d.event_id AND e.id = d.endpoint_id
                RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.ordering_key, d.attempts,
                    d.give_up_at, d.lease_token, e.url, ev.payload, e.secret, e.previous_secret, e.previous_secret_until""",
                (rs, n) -> new Claimed(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), instant(rs, 8),
                        rs.getObject(9, UUID.class), rs.getString(10), rs.getString(11), rs.getBytes(12),
                        rs.getBytes(13), instantOrNull(rs, 14)),
                utc(leaseUntil), leaseToken, utc(now), utc(now), utc(now), perEndpoint, limit, utc(now));
    }

    /** Whether the worker that claimed this delivery still holds it (a plain read: it takes no lock). */
    boolean stillLeased(Claimed claimed) {
        Integer found = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE id = ? AND lease_token = ? "
                + "AND status = 'PENDING'", Integer.class, claimed.id(), claimed.leaseToken());
        return found != null && found == 1;
    }

    /** The outcome of an attempt, if the lease is still this worker's. */
    boolean recordDelivered(Claimed claimed, int statusCode, @Nullable String snippet, Instant now) {
        return jdbc.update("""
                UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = attempts + 1, last_attempt_at = ?,
                    last_status_code = ?, last_error = NULL, last_response = ?, delivered_at = ?, finished_at = ?,
                    lease_until = NULL, lease_token = NULL
                WHERE id = ? AND lease_token = ? AND status = 'PENDING'""",
                utc(now), statusCode, snippet, utc(now), utc(now), claimed.id(), claimed.leaseToken()) == 1;
    }

    boolean recordRetry(Claimed claimed, int statusCode, @Nullable String error, @Nullable String snippet,
                        Instant now, Instant nextAttemptAt) {
        return jdbc.update("""
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?,
                    last_error = ?, last_response = ?, next_attempt_at = ?, lease_until = NULL, lease_token = NULL
                WHERE id = ? AND lease_token = ? AND status = 'PENDING'""",
                utc(now), statusCode == 0 ? null : statusCode, error, snippet, utc(nextAttemptAt), claimed.id(),
                claimed.leaseToken()) == 1;
    }

    boolean recordFailed(Claimed claimed, int statusCode, @Nullable String error, @Nullable String snippet,
                         Instant now, boolean attempted) {
        return jdbc.update("""
                UPDATE webhook_deliveries SET status = 'FAILED', attempts = attempts + ?,
                    last_attempt_at = COALESCE(?, last_attempt_at),
                    last_status_code = COALESCE(?, last_status_code), last_error = ?,
                    last_response = COALESCE(?, last_response), finished_at = ?, lease_until = NULL, lease_token = NULL
                WHERE id = ? AND lease_token = ? AND status = 'PENDING'""",
                attempted ? 1 : 0, utc(attempted ? now : null), statusCode == 0 ? null : statusCode, error, snippet,
                utc(now), claimed.id(), claimed.leaseToken()) == 1;
    }

    /**
     * Keeps the deliveries queued behind a delivery that waits for a retry (same endpoint, same credential) out of
     * the due range until that retry: they could not be claimed before it anyway.
     */
    void holdFollowers(Claimed head, Instant until) {
        if (head.orderingKey() == null) {
            return;
        }
        jdbc.update("""
                UPDATE webhook_deliveries SET next_attempt_at = ?
                WHERE endpoint_id = ? AND ordering_key = ? AND status = 'PENDING' AND id > ? AND next_attempt_at < ?""",
                utc(until), head.endpointId(), head.orderingKey(), head.id(), utc(until));
    }

    /** The head is done (delivered or given up): the next delivery of its credential, if never tried, is due now. */
    void releaseNextFollower(Claimed head, Instant now) {
        if (head.orderingKey() == null) {
            return;
        }
        jdbc.update("""
                UPDATE webhook_deliveries SET next_attempt_at = ?
                WHERE id = (SELECT id FROM webhook_deliveries
                            WHERE endpoint_id = ? AND ordering_key = ? AND status = 'PENDING' AND id > ?
                            ORDER BY id LIMIT 1)
                  AND attempts = 0 AND next_attempt_at > ?""",
                utc(now), head.endpointId(), head.orderingKey(), head.id(), utc(now));
    }

    /** A disabled endpoint's pending deliveries wait until it is enabled again ('infinity': never due). */
    void parkPending(UUID endpointId) {
        jdbc.update("UPDATE webhook_deliveries SET next_attempt_at = 'infinity' WHERE endpoint_id = ? AND status = 'PENDING'",
                endpointId);
    }

    /** Enabled again: its parked deliveries are due now. */
    void unparkPending(UUID endpointId, Instant now) {
        jdbc.update("""
                UPDATE webhook_deliveries SET next_attempt_at = ?
                WHERE endpoint_id = ? AND status = 'PENDING' AND next_attempt_at = 'infinity'""", utc(now), endpointId);
    }

    /**
     * Clears the endpoint's failure streak and notes the success. Returns the streak it ended, or -1 when nothing
     * needed writing (no streak, success noted in the last 10 seconds): a busy endpoint's row is not rewritten by
     * every delivery.
     */
    int endpointSucceeded(UUID endpointId, Instant now) {
        List<Integer> before = jdbc.query("""
                UPDATE webhook_endpoints w SET consecutive_failures = 0, last_success_at = ?
                FROM (SELECT id, consecutive_failures FROM webhook_endpoints
                      WHERE id = ? AND (consecutive_failures > 0 OR last_success_at IS NULL OR last_success_at < ?)
                      FOR NO KEY UPDATE) old
                WHERE w.id = old.id
                RETURNING old.consecutive_failures""",
                (rs, n) -> rs.getInt(1), utc(now), endpointId, utc(now.minusSeconds(10)));
        return before.isEmpty() ? -1 : before.getFirst();
    }

    /** Adds one to the endpoint's failure streak and returns the new length. */
    int endpointFailed(UUID endpointId, Instant now) {
        List<Integer> after = jdbc.query("""
                UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, last_failure_at = ?
                WHERE id = ? RETURNING consecutive_failures""", (rs, n) -> rs.getInt(1), utc(now), endpointId);
        return after.isEmpty() ? 0 : after.getFirst();
    }

    /** Turned off by the receiver (410 Gone). Returns whether it was enabled until now. */
    boolean disableEndpoint(UUID endpointId, String reason, Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET enabled = false, disabled_reason = ?, updated_at = ?
                WHERE id = ? AND enabled""", reason, utc(now), endpointId) == 1;
    }

    // ---------------------------------------------------------------- the delivery log

    List<Delivery> deliveries(UUID tenantId, DeliveryFilter filter, long offset, int limit) {
        var where = where(tenantId, filter);
        where.args.add(limit);
        where.args.add(offset);
        return jdbc.query("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d "
                + "JOIN webhook_endpoints e ON e.id = d.endpoint_id" + where.sql + " ORDER BY d.id DESC LIMIT ? OFFSET ?",
                DELIVERY, where.args.toArray());
    }

    List<Delivery> deliveriesBefore(UUID tenantId, DeliveryFilter filter, @Nullable Long beforeId, int limit) {
        var where = where(tenantId, filter);
        String before = "";
        if (beforeId != null) {
            before = " AND d.id < ?";
            where.args.add(beforeId);
        }
        where.args.add(limit);
        return jdbc.query("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d "
                + "JOIN webhook_endpoints e ON e.id = d.endpoint_id" + where.sql + before + " ORDER BY d.id DESC LIMIT ?",
                DELIVERY, where.args.toArray());
    }

    long countDeliveries(UUID tenantId, DeliveryFilter filter, long cap) {
        var where = where(tenantId, filter);
        where.args.add(cap);
        Long count = jdbc.queryForObject("SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries d" + where.sql
                + " LIMIT ?) capped", Long.class, where.args.toArray());
        return count == null ? 0 : count;
    }

    Optional<Delivery> delivery(UUID tenantId, long id) {
        return jdbc.query("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d "
                + "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.tenant_id = ? AND d.id = ?",
                DELIVERY, tenantId, id).stream().findFirst();
    }

    /** Starts a delivery over (a new retry period), unless a worker holds it right now. */
    int redeliver(UUID tenantId, long id, Instant now, Instant giveUpAt) {
        return jdbc.update("""
                UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = ?, give_up_at = ?,
                    delivered_at = NULL, finished_at = NULL
                WHERE tenant_id = ? AND id = ? AND (lease_until IS NULL OR lease_until < ?)""",
                utc(now), utc(giveUpAt), tenantId, id, utc(now));
    }

    /** One tenant's webhooks at a glance, or every tenant's when {@code tenantId} is null. */
    WebhookSummary summary(@Nullable UUID tenantId, int unhealthyAfter) {
        // "tenant_id = coalesce(?, tenant_id)" keeps one statement for both; tenant_id is never null.
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = coalesce(?, tenant_id)),
                       (SELECT count(*) FROM webhook_deliveries WHERE tenant_id = coalesce(?, tenant_id)
                            AND status = 'PENDING'),
                       (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = coalesce(?, tenant_id) AND enabled
                            AND consecutive_failures >= ?),
                       (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = coalesce(?, tenant_id) AND NOT enabled)""",
                (rs, n) -> new WebhookSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                tenantId, tenantId, tenantId, unhealthyAfter, tenantId);
    }

    // ---------------------------------------------------------------- retention

    /** Deletes up to {@code batch} finished deliveries in {@code status} that finished before the cutoff. */
    int deleteFinished(DeliveryStatus status, Instant before, int batch) {
        return jdbc.update("""
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries WHERE status = ? AND finished_at < ? LIMIT ?)""",
                status.name(), utc(before), batch);
    }

    /** Events none of whose deliveries are left (all cleaned up, or their endpoints deleted). */
    int deleteEventsWithoutDeliveries(int batch) {
        return jdbc.update("""
                DELETE FROM webhook_events WHERE id IN (
                    SELECT ev.id FROM webhook_events ev
                    WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)
                    LIMIT ?)""", batch);
    }

    /** Previous secrets whose overlap ended sign nothing any more: gone from the database too. */
    int dropExpiredPreviousSecrets(Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET previous_secret = NULL, previous_secret_until = NULL
                WHERE previous_secret_until IS NOT NULL AND previous_secret_until <= ?""", utc(now));
    }

    // ---------------------------------------------------------------- mapping

    private record Where(String sql, List<Object> args) {
    }

    private static Where where(UUID tenantId, DeliveryFilter filter) {
        var sql = new StringBuilder(" WHERE d.tenant_id = ?");
        var args = new ArrayList<Object>(List.of(tenantId));
        if (filter.endpointId() != null) {
            sql.append(" AND d.endpoint_id = ?");
            args.add(filter.endpointId());
        }
        if (filter.status() != null) {
            sql.append(" AND d.status = ?");
            args.add(filter.status().name());
        }
        return new Where(sql.toString(), args);
    }

    private static final RowMapper<Delivery> DELIVERY = (rs, n) -> {
        DeliveryStatus status = DeliveryStatus.valueOf(rs.getString(6));
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                rs.getString(5), status, rs.getInt(7), (Integer) rs.getObject(8), rs.getString(9), rs.getString(10),
                instantOrNull(rs, 11), status == DeliveryStatus.PENDING ? dueOrNull(rs, 12) : null,
                instantOrNull(rs, 13), instant(rs, 14));
    };

    private static EndpointRow endpoint(ResultSet rs, int n) throws SQLException {
        Array types = rs.getArray("event_types");
        return new EndpointRow(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("url"), rs.getString("description"), Arrays.asList((String[]) types.getArray()),
                rs.getBoolean("enabled"), rs.getString("disabled_reason"), rs.getBytes("secret"),
                rs.getBytes("previous_secret"), instantOrNull(rs, "previous_secret_until"),
                instant(rs, "secret_rotated_at"), rs.getInt("consecutive_failures"), instantOrNull(rs, "last_success_at"),
                instantOrNull(rs, "last_failure_at"), instant(rs, "created_at"));
    }

    /** When a pending delivery is due; null while it is parked ('infinity': its endpoint is disabled). */
    private static @Nullable Instant dueOrNull(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null || value.equals(OffsetDateTime.MAX) ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
