package io.plugboard.audit;

import io.plugboard.security.TenantScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** SQL for the audit table. Sealing happens under one advisory lock so the chain has a single tail. */
@Repository
class AuditEventStore {

    /** Any fixed number works; it only has to be the same in every instance. */
    static final long CHAIN_LOCK = 0x706c7567L;

    private static final String SELECT = """
            SELECT e.*, t.name AS tenant_name FROM audit_events e LEFT JOIN tenants t ON t.id = e.tenant_id
            """;

    /** Events per query of an export: big enough to be quick, small enough to hold in memory. */
    static final int EXPORT_PAGE = 1000;

    private static final RowMapper<AuditEvent> MAPPER = AuditEventStore::map;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streamingJdbc;

    AuditEventStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.streamingJdbc = new JdbcTemplate(dataSource);
        this.streamingJdbc.setFetchSize(1000);
    }

    /**
     * A plain insert, numbered by a sequence: no lock, so audited changes never queue behind each other.
     * The event joins the hash chain when the sealer next runs (see {@link AuditSealer}).
     */
    AuditEvent append(Instant occurredAt, AuditActor actor, AuditRecord record, String details,
                      @Nullable String sourceIp, @Nullable String userAgent) {
        // Numbered first rather than RETURNING: row-level security lets anyone append an event but would check a
        // returned row against what the writer may read (a failed sign-in has no tenant scope at all).
        Long seq = jdbc.queryForObject("""
                WITH numbered AS (SELECT nextval('audit_events_seq') AS seq),
                appended AS (
                    INSERT INTO audit_events (seq, occurred_at, actor_type, actor_id, actor_label, tenant_id, action,
                        target_type, target_id, reason, details, source_ip, user_agent)
                    SELECT seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM numbered)
                SELECT seq FROM numbered""", Long.class,
                OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC), actor.type().name(), actor.id(),
                actor.label(), record.tenantId(), record.action(), record.targetType(), record.targetId(),
                record.reason(), details, sourceIp, userAgent);
        return new AuditEvent(seq, occurredAt, actor.type().name(), actor.id(), actor.label(), record.tenantId(),
                null, record.action(), record.targetType(), record.targetId(), record.reason(), details, sourceIp,
                userAgent, null, null, null);
    }

    /**
     * Links up to {@code max} committed, unsealed events into the chain, oldest first, and returns how many.
     * One sealer at a time across instances: with {@code wait} false, a sealer that finds the lock taken returns
     * 0 and lets the other finish. Must run inside a transaction: the lock is held until it commits.
     */
    int seal(int max, boolean wait) {
        return TenantScope.platform("the hash chain links every tenant's events", () -> sealScoped(max, wait));
    }

    private int sealScoped(int max, boolean wait) {
        if (wait) {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, CHAIN_LOCK);
        } else if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class,
                CHAIN_LOCK))) {
            return 0;
        }
        List<AuditEvent> pending = jdbc.query(SELECT + " WHERE e.hash IS NULL ORDER BY e.seq LIMIT ?", MAPPER, max);
        if (pending.isEmpty()) {
            return 0;
        }
        List<Object[]> tail = jdbc.query("""
                SELECT chain_index, hash FROM audit_events WHERE chain_index IS NOT NULL
                ORDER BY chain_index DESC LIMIT 1""", (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)});
        long index = tail.isEmpty() ? 0 : (long) tail.getFirst()[0];
        String prevHash = tail.isEmpty() ? ChainHasher.GENESIS : (String) tail.getFirst()[1];
        int n = pending.size();
        Long[] seqs = new Long[n];
        Long[] indexes = new Long[n];
        String[] prevHashes = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            AuditEvent event = pending.get(i);
            index++;
            String hash = ChainHasher.hash(event.withChain(index, prevHash, ""));
            seqs[i] = event.seq();
            indexes[i] = index;
            prevHashes[i] = prevHash;
            hashes[i] = hash;
            prevHash = hash;
        }
        // The runtime role may not UPDATE audit events: this function, its owner's, fills only the chain columns.
        jdbc.execute((ConnectionCallback<Object>) connection -> {
            try (var call = connection.prepareStatement("SELECT audit_seal(?, ?, ?, ?)")) {
                call.setArray(1, connection.createArrayOf("bigint", seqs));
                call.setArray(2, connection.createArrayOf("bigint", indexes));
                call.setArray(3, connection.createArrayOf("text", prevHashes));
                call.setArray(4, connection.createArrayOf("text", hashes));
                call.execute();
            }
            return null;
        });
        return n;
    }

    /** The newest sealed event's chain position and hash; position 0 and the genesis hash for an empty chain. */
    ChainHead head() {
        return TenantScope.platform("the chain's head covers every tenant's events", () -> jdbc.query("""
                SELECT chain_index, hash FROM audit_events WHERE chain_index IS NOT NULL
                ORDER BY chain_index DESC LIMIT 1""", (rs, n) -> new ChainHead(rs.getLong(1), rs.getString(2)))
                .stream().findFirst().orElse(new ChainHead(0, ChainHasher.GENESIS)));
    }

    record ChainHead(long position, String hash) {
    }

    java.util.Optional<Instant> lastCheckpointAt() {
        return java.util.Optional.ofNullable(jdbc.queryForObject("SELECT max(checkpointed_at) FROM audit_checkpoints",
                OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    void saveCheckpoint(AuditCheckpoint checkpoint) {
        jdbc.update("""
                INSERT INTO audit_checkpoints (position, head_hash, checkpointed_at, key_id, mac)
                VALUES (?, ?, ?, ?, ?)""", checkpoint.position(), checkpoint.headHash(),
                OffsetDateTime.ofInstant(checkpoint.checkpointedAt(), ZoneOffset.UTC), checkpoint.keyId(), checkpoint.mac());
    }

    /** A transaction-scoped lock other than the chain's; false when another instance holds it. */
    boolean tryMonitorLock(long key) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, key));
    }

    List<AuditEvent> find(AuditFilter filter, Pageable page) {
        var where = where(filter);
        where.args.add(page.getPageSize());
        where.args.add(page.getOffset());
        String order = page.getSort().stream().findFirst()
                .map(o -> o.isAscending() ? "e.seq ASC" : "e.seq DESC").orElse("e.seq DESC");
        return jdbc.query(SELECT + where.sql + " ORDER BY " + order + " LIMIT ? OFFSET ?", MAPPER,
                where.args.toArray());
    }

    long count(AuditFilter filter) {
        var where = where(filter);
        Long count = jdbc.queryForObject("SELECT count(*) FROM audit_events e" + where.sql, Long.class,
                where.args.toArray());
        return count == null ? 0 : count;
    }

    /**
     * Reads the filtered range oldest first, one page per short query, and hands each page to the consumer only
     * after its query is done: a slow consumer (a client reading an export) holds no transaction and no
     * connection. The range ends at the newest event when it starts, as a single read would.
     */
    void stream(AuditFilter filter, Consumer<AuditEvent> consumer) {
        Long last = jdbc.queryForObject("SELECT max(seq) FROM audit_events", Long.class);
        long after = Long.MIN_VALUE;
        List<AuditEvent> page;
        do {
            var where = where(filter);
            where.args.add(after);
            where.args.add(last == null ? Long.MIN_VALUE : last);
            where.args.add(EXPORT_PAGE);
            page = jdbc.query(SELECT + where.sql + " AND e.seq > ? AND e.seq <= ? ORDER BY e.seq ASC LIMIT ?", MAPPER,
                    where.args.toArray());
            page.forEach(consumer);
            after = page.isEmpty() ? after : page.getLast().seq();
        } while (page.size() == EXPORT_PAGE);
    }

    /**
     * Up to {@code limit} sealed events matching the filter, in chain order after chain position {@code after}.
     * Positions become visible in order (one sealer at a time, each batch committed whole before the next is
     * numbered), so reading on from the last position returned never skips or repeats an event; unsealed events
     * are left for a later read.
     */
    List<AuditEvent> sealedAfter(AuditFilter filter, long after, int limit) {
        var where = where(filter);
        where.args.add(after);
        where.args.add(limit);
        return jdbc.query(SELECT + where.sql + " AND e.chain_index > ? ORDER BY e.chain_index ASC LIMIT ?", MAPPER,
                where.args.toArray());
    }

    /** Streams the sealed chain in chain order, for verification. */
    void streamChain(Consumer<AuditEvent> consumer) {
        TenantScope.platform("the hash chain links every tenant's events", () -> streamingJdbc.query(
                SELECT + " WHERE e.chain_index IS NOT NULL ORDER BY e.chain_index ASC",
                (RowCallbackHandler) rs -> consumer.accept(map(rs, 0))));
    }

    List<AuditEvent> recent(@Nullable UUID tenantId, int limit) {
        return tenantId == null
                ? jdbc.query(SELECT + " ORDER BY e.seq DESC LIMIT ?", MAPPER, limit)
                : jdbc.query(SELECT + " WHERE e.tenant_id = ? ORDER BY e.seq DESC LIMIT ?", MAPPER, tenantId, limit);
    }

    long countSince(@Nullable UUID tenantId, String actionPrefix, Instant since) {
        Long count = tenantId == null
                ? jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action LIKE ? AND occurred_at >= ?",
                        Long.class, actionPrefix + "%", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
                : jdbc.queryForObject("""
                        SELECT count(*) FROM audit_events WHERE tenant_id = ? AND action LIKE ? AND occurred_at >= ?""",
                        Long.class, tenantId, actionPrefix + "%", OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        return count == null ? 0 : count;
    }

    List<AuditEvent> timeline(@Nullable UUID tenantId, AuditSubject subject, int limit, long offset) {
        var where = subjectWhere(tenantId, subject);
        where.args.add(limit);
        where.args.add(offset);
        return jdbc.query(SELECT + where.sql + " ORDER BY e.seq DESC LIMIT ? OFFSET ?", MAPPER, where.args.toArray());
    }

    long countTimeline(@Nullable UUID tenantId, AuditSubject subject) {
        var where = subjectWhere(tenantId, subject);
        Long count = jdbc.queryForObject("SELECT count(*) FROM audit_events e" + where.sql, Long.class,
                where.args.toArray());
        return count == null ? 0 : count;
    }

    void saveVerification(ChainVerification result, String trigger, long durationMillis) {
        jdbc.update("""
                INSERT INTO audit_verifications (verified_at, trigger, intact, events_checked, first_broken_seq,
                    message, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                OffsetDateTime.ofInstant(result.verifiedAt(), ZoneOffset.UTC), trigger, result.intact(),
                result.eventsChecked(), result.firstBrokenSeq(), truncate(result.message(), 500), durationMillis);
    }

    java.util.Optional<VerificationRun> lastVerification() {
        return jdbc.query("""
                SELECT * FROM audit_verifications ORDER BY verified_at DESC, id DESC LIMIT 1""", (rs, n) ->
                new VerificationRun(new ChainVerification(rs.getBoolean("intact"), rs.getLong("events_checked"),
                        rs.getObject("first_broken_seq", Long.class), rs.getString("message"),
                        rs.getObject("verified_at", OffsetDateTime.class).toInstant()),
                        rs.getString("trigger"), rs.getLong("duration_ms"))).stream().findFirst();
    }

    List<String> actions() {
        return jdbc.queryForList("SELECT DISTINCT action FROM audit_events ORDER BY action", String.class);
    }

    private record Where(String sql, List<Object> args) {
    }

    private static Where where(AuditFilter filter) {
        var sql = new StringBuilder(" WHERE true");
        var args = new ArrayList<Object>();
        if (filter.tenantId() != null) {
            sql.append(" AND e.tenant_id = ?");
            args.add(filter.tenantId());
        }
        if (filter.from() != null) {
            sql.append(" AND e.occurred_at >= ?");
            args.add(OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" AND e.occurred_at < ?");
            args.add(OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        if (hasText(filter.actor())) {
            sql.append(" AND (e.actor_label ILIKE ? OR e.actor_id = ?)");
            args.add(like(filter.actor()));
            args.add(filter.actor().strip());
        }
        if (hasText(filter.action())) {
            sql.append(" AND e.action ILIKE ?");
            args.add(like(filter.action()));
        }
        if (hasText(filter.target())) {
            sql.append(" AND (e.target_id ILIKE ? OR e.target_type ILIKE ?)");
            args.add(like(filter.target()));
            args.add(like(filter.target()));
        }
        return new Where(sql.toString(), args);
    }

    private static Where subjectWhere(@Nullable UUID tenantId, AuditSubject subject) {
        var sql = new StringBuilder(" WHERE ");
        var args = new ArrayList<Object>();
        switch (subject.type()) {
            case AuditSubject.USER -> {
                sql.append("((e.target_type = 'user' AND e.target_id = ?) OR e.actor_id = ?)");
                args.add(subject.id());
                args.add(subject.id());
            }
            case AuditSubject.END_USER -> {
                // Spelled as in the index audit_events_end_user, so the planner uses it.
                sql.append("(e.details::jsonb ->> 'endUser') = ?");
                args.add(subject.id());
            }
            default -> {
                sql.append("(e.target_type = ? AND e.target_id = ?)");
                args.add(subject.type());
                args.add(subject.id());
            }
        }
        if (tenantId != null) {
            sql.append(" AND e.tenant_id = ?");
            args.add(tenantId);
        }
        return new Where(sql.toString(), args);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static String like(String value) {
        return "%" + value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static AuditEvent map(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("actor_label"),
                rs.getObject("tenant_id", UUID.class), rs.getString("tenant_name"), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("reason"),
                rs.getString("details"), rs.getString("source_ip"), rs.getString("user_agent"),
                rs.getObject("chain_index", Long.class), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
