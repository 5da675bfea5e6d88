package io.plugboard.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync state rows: configuration, the worker's claims and leases, checkpoints and outcomes. Times are the
 * database's ({@code now()}), the same clock that stamps the records' {@code synced_at}, so "not seen since the
 * pass began" compares like with like whichever instance ran which page.
 */
@Repository
class SyncStates {

    /**
     * A run a worker has claimed: what it needs to read the next page and the token its writes are checked against.
     *
     * @param cursor        the checkpoint: the next page of the pass in progress, null to start a pass
     * @param highWaterMark when the last complete pass began, null before the first
     * @param passFull      whether the pass in progress reads the whole model; null when it starts now
     * @param lastFullPassAt when the last complete pass that read the whole model began
     * @param apiHost       where the run calls, as last noted (null until known)
     */
    record Claim(UUID tenantId, String credentialId, SyncModel model, boolean backfill, @Nullable String cursor,
                 @Nullable Instant highWaterMark, @Nullable Boolean passFull, @Nullable Instant lastFullPassAt,
                 Instant passStartedAt, String credentialStatus, String appKey, String tenantName,
                 String tenantClientId, UUID leaseOwner, @Nullable String apiHost) {
    }

    private static final String STATUS_COLUMNS = """
            model, enabled, paused, paused_reason, frequency_minutes, phase, records, last_run_at, last_success_at,
            next_run_at, lease_until > now() AS running, last_error, last_error_at, consecutive_failures""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    SyncStates(DataSource dataSource, TransactionTemplate transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
    }

    // ---------------------------------------------------------------- configuration (the tenant's scope)

    /** The enabled models of a credential, in model order. */
    List<SyncStatus> list(UUID tenantId, String credentialId) {
        return jdbc.query("SELECT " + STATUS_COLUMNS + " FROM sync_states WHERE tenant_id = ? AND credential_id = ? "
                + "AND enabled", SyncStates::status, tenantId, credentialId).stream()
                .sorted((a, b) -> Integer.compare(SyncModel.of(a.model()).orElseThrow().ordinal(),
                        SyncModel.of(b.model()).orElseThrow().ordinal()))
                .toList();
    }

    /**
     * The first {@code limit} of the tenant's synced credentials, newest credential first, each with its enabled
     * models in model order: one statement however many there are. The credentials' order is
     * {@code credentials_tenant_created}'s.
     */
    Map<String, List<SyncStatus>> pageTenant(UUID tenantId, int limit) {
        var byCredential = new LinkedHashMap<String, List<SyncStatus>>();
        jdbc.query("""
                WITH page AS (
                    SELECT c.id, c.created_at FROM credentials c
                    WHERE c.tenant_id = ? AND EXISTS (SELECT 1 FROM sync_states s
                                                      WHERE s.credential_id = c.id AND s.enabled)
                    ORDER BY c.created_at DESC, c.id DESC LIMIT ?)
                SELECT page.id AS credential_id, """ + STATUS_COLUMNS + """
                 FROM page JOIN sync_states ON sync_states.credential_id = page.id AND sync_states.enabled
                ORDER BY page.created_at DESC, page.id DESC""", (RowCallbackHandler) rs -> {
            byCredential.computeIfAbsent(rs.getString("credential_id"), id -> new ArrayList<>()).add(status(rs, 0));
        }, tenantId, limit);
        byCredential.values().forEach(models -> models.sort(
                Comparator.comparingInt(m -> SyncModel.of(m.model()).orElseThrow().ordinal())));
        return byCredential;
    }

    /**
     * How the syncs of one tenant, or of all tenants, stand: the models synced, those failing, those paused because
     * of their credential, and those due for longer than {@code overdueAfter} without a worker taking them (lag).
     */
    SyncHealth health(@Nullable UUID tenantId, Duration overdueAfter) {
        // "tenant_id = coalesce(?, tenant_id)" keeps one statement for both; tenant_id is never null.
        return jdbc.queryForObject("""
                SELECT count(*),
                       count(*) FILTER (WHERE NOT paused AND consecutive_failures > 0),
                       count(*) FILTER (WHERE paused AND paused_reason = 'credential'),
                       count(*) FILTER (WHERE NOT paused AND next_run_at < now() - make_interval(secs => ?)
                                        AND (lease_until IS NULL OR lease_until < now())),
                       extract(epoch FROM max(now() - next_run_at) FILTER (WHERE NOT paused
                                        AND (lease_until IS NULL OR lease_until < now())))
                FROM sync_states WHERE enabled AND tenant_id = coalesce(?, tenant_id)""",
                (rs, n) -> new SyncHealth(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        Duration.ofSeconds(Math.max(0, (long) rs.getDouble(5)))),
                (double) overdueAfter.toSeconds(), tenantId);
    }

    /**
     * Syncs exactly {@code models} every {@code frequencyMinutes}. A model turned on for the first time backfills
     * at once; one turned on again carries on from where it stood; one left out stops (its records stay).
     */
    void configure(UUID tenantId, String credentialId, Collection<SyncModel> models, int frequencyMinutes) {
        for (SyncModel model : models) {
            jdbc.update("""
                    INSERT INTO sync_states (tenant_id, credential_id, model, enabled, frequency_minutes, phase,
                                             next_run_at, created_at, updated_at)
                    VALUES (?, ?, ?, true, ?, 'BACKFILL', now(), now(), now())
                    ON CONFLICT (credential_id, model) DO UPDATE SET enabled = true,
                        frequency_minutes = excluded.frequency_minutes,
                        next_run_at = CASE WHEN NOT sync_states.enabled THEN now()
                            ELSE least(sync_states.next_run_at, coalesce(sync_states.last_run_at, now())
                                       + make_interval(mins => excluded.frequency_minutes)) END,
                        updated_at = now()""",
                    tenantId, credentialId, model.key(), frequencyMinutes);
        }
        jdbc.update("UPDATE sync_states SET enabled = false, updated_at = now() WHERE tenant_id = ? "
                        + "AND credential_id = ? AND enabled AND NOT (model = ANY (?))",
                tenantId, credentialId, models.stream().map(SyncModel::key).toArray(String[]::new));
    }

    /** Pauses every enabled model; returns how many were not paused yet. */
    int pause(UUID tenantId, String credentialId) {
        return jdbc.update("UPDATE sync_states SET paused = true, paused_reason = 'admin', updated_at = now() "
                + "WHERE tenant_id = ? AND credential_id = ? AND enabled AND NOT paused", tenantId, credentialId);
    }

    /** Resumes every paused model, due at once if it was due while paused; returns how many. */
    int resume(UUID tenantId, String credentialId) {
        return jdbc.update("UPDATE sync_states SET paused = false, paused_reason = NULL, "
                + "next_run_at = least(next_run_at, now()), updated_at = now() "
                + "WHERE tenant_id = ? AND credential_id = ? AND enabled AND paused", tenantId, credentialId);
    }

    /**
     * Resumes the models paused because the credential could not be used, due at once if they were due while
     * paused; those a tenant admin paused stay paused. Returns how many resumed.
     */
    int resumeForCredential(UUID tenantId, String credentialId) {
        return jdbc.update("UPDATE sync_states SET paused = false, paused_reason = NULL, "
                + "next_run_at = least(next_run_at, now()), updated_at = now() "
                + "WHERE tenant_id = ? AND credential_id = ? AND paused AND paused_reason = 'credential'",
                tenantId, credentialId);
    }

    /** Makes every enabled, unpaused model due now; returns how many. */
    int runNow(UUID tenantId, String credentialId) {
        return jdbc.update("UPDATE sync_states SET next_run_at = now(), updated_at = now() "
                + "WHERE tenant_id = ? AND credential_id = ? AND enabled AND NOT paused", tenantId, credentialId);
    }

    // ---------------------------------------------------------------- the worker (claims: the platform scope)

    /**
     * Leases up to {@code limit} due runs to {@code owner}, keeping the runs in progress across the cluster within
     * {@code perTenant} per tenant and {@code perHost} per provider API host. SKIP LOCKED lets workers claim side
     * by side without waiting for each other's rows, and a row another worker leased is not due until its lease
     * runs out, so a run is never in progress twice. A run starting a pass notes when the pass began.
     *
     * <p>The limits are counts of unexpired leases, and two claimers counting at once would both see room for the
     * last place. So the candidates' tenants and hosts are locked first (transaction advisory locks, taken in one
     * global order so claimers never wait on each other in a circle), and only then counted: a claimer that got
     * the lock after another sees that one's leases, committed as it released the lock. Claimers of other tenants
     * and hosts do not wait at all. The locks are held until the claim's transaction ends.
     */
    List<Claim> claim(int limit, UUID owner, Duration lease, int perTenant, int perHost) {
        return Objects.requireNonNull(transactions.execute(tx -> claimLocked(limit, owner, lease, perTenant, perHost)));
    }

    private List<Claim> claimLocked(int limit, UUID owner, Duration lease, int perTenant, int perHost) {
        // Candidates beyond the limit, so that one tenant's or host's backlog does not hide the others' due runs;
        // tenants and hosts already full are left out at once (counted again under the locks below).
        var candidates = jdbc.query("""
                SELECT d.credential_id, d.model, d.tenant_id, d.api_host FROM sync_states d
                WHERE d.enabled AND NOT d.paused AND d.next_run_at <= now()
                  AND (d.lease_until IS NULL OR d.lease_until < now())
                  AND d.tenant_id NOT IN (SELECT l.tenant_id FROM sync_states l WHERE l.lease_until > now()
                                          GROUP BY l.tenant_id HAVING count(*) >= ?)
                  AND (d.api_host IS NULL OR d.api_host NOT IN (
                        SELECT l.api_host FROM sync_states l WHERE l.lease_until > now() AND l.api_host IS NOT NULL
                        GROUP BY l.api_host HAVING count(*) >= ?))
                ORDER BY d.next_run_at
                LIMIT ?
                FOR UPDATE OF d SKIP LOCKED""",
                (rs, n) -> new Candidate(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4)),
                perTenant, perHost, Math.min(limit * 4L, 1000L));
        if (candidates.isEmpty()) {
            return List.of();
        }
        var tenants = new TreeSet<UUID>();
        var hosts = new TreeSet<String>();
        candidates.forEach(c -> {
            tenants.add(c.tenantId());
            if (c.apiHost() != null) {
                hosts.add(c.apiHost());
            }
        });
        var keys = new TreeSet<Long>();
        tenants.forEach(t -> keys.add(lockKey(TENANT_LOCKS, t.toString())));
        hosts.forEach(h -> keys.add(lockKey(HOST_LOCKS, h)));
        for (long key : keys) {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, key);
        }
        var running = new HashMap<String, Integer>();
        jdbc.query("SELECT 't' || tenant_id, count(*) FROM sync_states WHERE lease_until > now() "
                        + "AND tenant_id = ANY (CAST(? AS uuid[])) GROUP BY tenant_id",
                (RowCallbackHandler) rs -> running.put(rs.getString(1), rs.getInt(2)),
                (Object) tenants.stream().map(UUID::toString).toArray(String[]::new));
        jdbc.query("SELECT 'h' || api_host, count(*) FROM sync_states WHERE lease_until > now() "
                        + "AND api_host = ANY (CAST(? AS text[])) GROUP BY api_host",
                (RowCallbackHandler) rs -> running.put(rs.getString(1), rs.getInt(2)),
                (Object) hosts.toArray(String[]::new));
        var credentialIds = new ArrayList<String>();
        var models = new ArrayList<String>();
        for (Candidate c : candidates) {
            if (credentialIds.size() == limit) {
                break;
            }
            String tenant = "t" + c.tenantId();
            String host = c.apiHost() == null ? null : "h" + c.apiHost();
            if (running.getOrDefault(tenant, 0) >= perTenant
                    || (host != null && running.getOrDefault(host, 0) >= perHost)) {
                continue;
            }
            running.merge(tenant, 1, Integer::sum);
            if (host != null) {
                running.merge(host, 1, Integer::sum);
            }
            credentialIds.add(c.credentialId());
            models.add(c.model());
        }
        if (credentialIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                UPDATE sync_states s SET lease_owner = ?, lease_until = now() + make_interval(secs => ?),
                    last_run_at = now(),
                    pass_started_at = CASE WHEN s.cursor IS NULL THEN now() ELSE coalesce(s.pass_started_at, now()) END
                FROM credentials c, tenants t
                WHERE (s.credential_id, s.model) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])))
                  AND c.id = s.credential_id AND t.id = s.tenant_id
                RETURNING s.tenant_id, s.credential_id, s.model, s.phase, s.cursor, s.high_water_mark,
                    CASE WHEN s.cursor IS NULL THEN NULL ELSE s.pass_full END, s.last_full_pass_at, s.pass_started_at,
                    c.status, c.app_key, t.name, t.client_id, s.api_host""",
                (rs, n) -> new Claim(rs.getObject(1, UUID.class), rs.getString(2),
                        SyncModel.of(rs.getString(3)).orElseThrow(), rs.getString(4).equals("BACKFILL"),
                        rs.getString(5), instant(rs, 6), rs.getObject(7, Boolean.class), instant(rs, 8),
                        Objects.requireNonNull(instant(rs, 9)), rs.getString(10), rs.getString(11), rs.getString(12),
                        rs.getString(13), owner, rs.getString(14)),
                owner, (double) lease.toSeconds(), credentialIds.toArray(String[]::new), models.toArray(String[]::new))
                .stream().sorted(Comparator.comparingInt(c -> order(credentialIds, models, c))).toList();
    }

    /** A due run the claim may take, with what its limits are counted by. */
    private record Candidate(String credentialId, String model, UUID tenantId, @Nullable String apiHost) {
    }

    /** Classes of the claim's advisory locks: high 32 bits, so they never meet the application's other locks. */
    private static final long TENANT_LOCKS = 0x73796e74L;
    private static final long HOST_LOCKS = 0x73796e68L;

    /** String.hashCode is specified, so every instance derives the same key; a collision only serializes more. */
    private static long lockKey(long kind, String name) {
        return (kind << 32) | (name.hashCode() & 0xffffffffL);
    }

    private static int order(List<String> credentialIds, List<String> models, Claim claim) {
        for (int i = 0; i < credentialIds.size(); i++) {
            if (credentialIds.get(i).equals(claim.credentialId()) && models.get(i).equals(claim.model().key())) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** Notes where the run calls, when it has changed (or was not known): the per-host limit counts by it. */
    void noteHost(Claim claim, String apiHost) {
        if (!apiHost.equals(claim.apiHost())) {
            jdbc.update("UPDATE sync_states SET api_host = ? WHERE credential_id = ? AND model = ? AND lease_owner = ?",
                    apiHost, claim.credentialId(), claim.model().key(), claim.leaseOwner());
        }
    }

    /** Notes where a credential's runs call, when its sync is configured. */
    void noteHost(UUID tenantId, String credentialId, @Nullable String apiHost) {
        jdbc.update("UPDATE sync_states SET api_host = ? WHERE tenant_id = ? AND credential_id = ? "
                + "AND api_host IS DISTINCT FROM ?", apiHost, tenantId, credentialId, apiHost);
    }

    /** Locks the run's row if it is still this worker's: the guard of every write of a page. */
    boolean hold(Claim claim) {
        return !jdbc.queryForList("SELECT 1 FROM sync_states WHERE credential_id = ? AND model = ? "
                + "AND lease_owner = ? FOR NO KEY UPDATE", Integer.class, claim.credentialId(), claim.model().key(),
                claim.leaseOwner()).isEmpty();
    }

    /** A page saved: the next page is the checkpoint, with the kind of its pass, and the lease is renewed. */
    void checkpoint(Claim claim, String cursor, boolean fullPass, long added, Duration lease) {
        jdbc.update("UPDATE sync_states SET cursor = ?, pass_full = ?, records = records + ?, "
                + "lease_until = now() + make_interval(secs => ?), updated_at = now() "
                + "WHERE credential_id = ? AND model = ? AND lease_owner = ?", cursor, fullPass, added,
                (double) lease.toSeconds(), claim.credentialId(), claim.model().key(), claim.leaseOwner());
    }

    /**
     * The pass is complete: the next one is incremental from when this one began, after the model's frequency.
     * The record count becomes {@code counted} when given, else grows by {@code added}. Returns how many runs had
     * failed in a row before this one (0 when the lease was lost).
     */
    int complete(Claim claim, boolean fullPass, @Nullable Long counted, long added) {
        return jdbc.queryForList("""
                UPDATE sync_states SET cursor = NULL, phase = 'INCREMENTAL', high_water_mark = pass_started_at,
                    last_full_pass_at = CASE WHEN ? THEN pass_started_at ELSE last_full_pass_at END, pass_full = NULL,
                    pass_started_at = NULL, records = coalesce(CAST(? AS bigint), records + ?),
                    last_success_at = now(), last_error = NULL,
                    last_error_at = NULL, consecutive_failures = 0,
                    next_run_at = now() + make_interval(mins => frequency_minutes),
                    lease_owner = NULL, lease_until = NULL, updated_at = now()
                WHERE credential_id = ? AND model = ? AND lease_owner = ?
                RETURNING old.consecutive_failures""", Integer.class,
                fullPass, counted, added, claim.credentialId(), claim.model().key(), claim.leaseOwner())
                .stream().findFirst().orElse(0);
    }

    /** The CRM asked to slow down: the run goes on from its checkpoint after the wait, which is no failure. */
    void rateLimited(Claim claim, Duration wait) {
        jdbc.update("UPDATE sync_states SET next_run_at = now() + make_interval(secs => ?), lease_owner = NULL, "
                        + "lease_until = NULL, updated_at = now() WHERE credential_id = ? AND model = ? AND lease_owner = ?",
                (double) wait.toSeconds(), claim.credentialId(), claim.model().key(), claim.leaseOwner());
    }

    /** Hands the run back, due at once: another worker (or this one, later) carries on from its checkpoint. */
    void release(Claim claim) {
        jdbc.update("UPDATE sync_states SET next_run_at = now(), lease_owner = NULL, lease_until = NULL, "
                        + "updated_at = now() WHERE credential_id = ? AND model = ? AND lease_owner = ?",
                claim.credentialId(), claim.model().key(), claim.leaseOwner());
    }

    /**
     * The run failed: retried from its checkpoint after a backoff that doubles with each consecutive failure
     * (from the start of a pass when the checkpoint itself is unusable). Returns how many runs have now failed in
     * a row (0 when the lease was lost).
     */
    int failed(Claim claim, String error, boolean restartPass, SyncProperties properties) {
        return jdbc.queryForList("""
                UPDATE sync_states SET last_error = ?, last_error_at = now(),
                    consecutive_failures = consecutive_failures + 1,
                    next_run_at = now() + least(make_interval(secs => ?),
                                                make_interval(secs => ?) * power(2, least(consecutive_failures, 20))),
                    cursor = CASE WHEN ? THEN NULL ELSE cursor END,
                    lease_owner = NULL, lease_until = NULL, updated_at = now()
                WHERE credential_id = ? AND model = ? AND lease_owner = ?
                RETURNING consecutive_failures""", Integer.class,
                error.length() > 500 ? error.substring(0, 500) : error, (double) properties.maxBackoff().toSeconds(),
                (double) properties.initialBackoff().toSeconds(), restartPass, claim.credentialId(),
                claim.model().key(), claim.leaseOwner()).stream().findFirst().orElse(0);
    }

    /**
     * The credential was revoked or needs reconnecting: nothing runs until it is reconnected (then it resumes by
     * itself) or a tenant admin resumes it.
     */
    void pauseForCredential(Claim claim, String why) {
        jdbc.update("""
                UPDATE sync_states SET paused = true, paused_reason = 'credential', last_error = ?,
                    last_error_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now()
                WHERE credential_id = ? AND model = ? AND lease_owner = ?""",
                why, claim.credentialId(), claim.model().key(), claim.leaseOwner());
    }

    private static SyncStatus status(ResultSet rs, int n) throws SQLException {
        boolean paused = rs.getBoolean("paused");
        int failures = rs.getInt("consecutive_failures");
        String state = paused ? "paused" : rs.getBoolean("running") ? "running" : failures > 0 ? "failing" : "scheduled";
        return new SyncStatus(rs.getString("model"), state, rs.getString("phase").toLowerCase(Locale.ROOT),
                rs.getInt("frequency_minutes"), instant(rs, "last_run_at"), instant(rs, "last_success_at"),
                Instant.from(rs.getObject("next_run_at", OffsetDateTime.class)), rs.getLong("records"),
                rs.getString("last_error"), instant(rs, "last_error_at"), failures, rs.getString("paused_reason"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
