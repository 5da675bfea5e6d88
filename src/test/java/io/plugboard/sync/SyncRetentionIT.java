package io.plugboard.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A revoked credential's synced data is deleted once {@code retention-after-revocation} (30 days, the default) has
 * passed, by the retention job, which is handed the time it runs at: the tests move it past the revocation as the
 * application's clock would move.
 */
@PlugboardTest
class SyncRetentionIT extends SyncTestSupport {

    private static final Duration RETENTION = Duration.ofDays(30);

    @Autowired
    SyncRetention retention;

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = followUpBoss(tenant);
    }

    @Test
    void aRevokedCredentialKeepsItsSyncedDataForTheRetentionThenLosesAllOfItAudited() {
        String revoked = synced(tenant, appKey, "people", "notes");
        String kept = synced(tenant, appKey, "people");
        String awaitingReconnect = synced(tenant, appKey, "people");
        stubPeoplePages();
        stubNotes();
        runDue();
        // More notes than one batch deletes, so the purge takes several.
        addNotes(revoked, SyncRetention.BATCH * 2 + 7);
        addNotes(kept, 3);
        assertThat(rows("synced_people", revoked)).isEqualTo(5);
        TestTenant other = TestTenants.create(context, "retentionb");
        String othersRevoked = othersSyncedAndRevoked(other);

        asAdmin(tenant, () -> credentials.revoke(tenant.id(), revoked));
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED' WHERE id = ?", awaitingReconnect);
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE tenant_id = ?", tenant.id());
        runDue();
        Instant revokedAt = revokedAt(revoked);
        JsonNode shown = status(revoked);
        assertThat(shown.path("models").get(0).path("pausedReason").asString()).isEqualTo("credential");
        assertThat(Instant.parse(shown.path("purgeAt").asString())).isEqualTo(revokedAt.plus(RETENTION));
        assertThat(status(kept).path("purgeAt").isNull()).isTrue();

        // A day before the deadline: nothing goes.
        retention.purgeDue(revokedAt.plus(RETENTION).minus(Duration.ofDays(1)));
        assertThat(rows("synced_people", revoked)).isEqualTo(5);
        assertThat(rows("synced_notes", revoked)).isEqualTo(SyncRetention.BATCH * 2 + 7 + 1);
        assertThat(rows("sync_states", revoked)).isEqualTo(2);
        assertThat(purgeAudits(revoked)).isEmpty();

        // Past it: the credential's records and states go, nobody else's.
        retention.purgeDue(revokedAt.plus(RETENTION).plus(Duration.ofMinutes(1)));

        for (String table : List.of("synced_people", "synced_notes", "synced_tasks", "synced_users", "sync_states")) {
            assertThat(rows(table, revoked)).as(table).isZero();
        }
        assertThat(rows("synced_people", kept)).isEqualTo(5);
        assertThat(rows("synced_notes", kept)).isEqualTo(3);
        assertThat(rows("sync_states", kept)).isEqualTo(1);
        assertThat(rows("synced_people", awaitingReconnect)).as("waiting for a reconnect is no revocation")
                .isEqualTo(5);
        assertThat(rows("sync_states", awaitingReconnect)).isEqualTo(1);
        assertThat(rows("synced_people", othersRevoked)).as("revoked later: not due yet").isEqualTo(1);

        List<Map<String, Object>> audits = purgeAudits(revoked);
        assertThat(audits).hasSize(1);
        Map<String, Object> audit = audits.getFirst();
        assertThat(audit).containsEntry("actor_type", "SYSTEM").containsEntry("tenant_id", tenant.id());
        JsonNode details = JSON.readTree((String) audit.get("details"));
        assertThat(details.path("models").asLong()).isEqualTo(2);
        assertThat(details.path("people").asLong()).isEqualTo(5);
        assertThat(details.path("notes").asLong()).isEqualTo(SyncRetention.BATCH * 2 + 7 + 1);
        assertThat(details.path("retention").asString()).isEqualTo("PT720H");

        // The credential still says when its synced records went.
        JsonNode after = status(revoked);
        assertThat(after.path("models")).isEmpty();
        assertThat(Instant.parse(after.path("purgeAt").asString())).isBefore(Instant.now().plusSeconds(1));

        // Run again, later: nothing more to do, nothing audited twice.
        retention.purgeDue(revokedAt.plus(RETENTION).plus(Duration.ofDays(3)));
        assertThat(purgeAudits(revoked)).hasSize(1);
    }

    @Test
    void instancesPurgingAtOnceDeleteACredentialsDataOnceAndAuditItOnce() throws Exception {
        String revoked = synced(tenant, appKey, "notes");
        addNotes(revoked, SyncRetention.BATCH * 3);
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), revoked));
        Instant due = revokedAt(revoked).plus(RETENTION).plusSeconds(60);

        int instances = 4;
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            var futures = new ArrayList<Future<Integer>>();
            for (int i = 0; i < instances; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return retention.purgeDue(due);
                }));
            }
            start.countDown();
            for (var future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(rows("synced_notes", revoked)).isZero();
        assertThat(rows("sync_states", revoked)).isZero();
        List<Map<String, Object>> audits = purgeAudits(revoked);
        assertThat(audits).hasSize(1);
        assertThat(JSON.readTree((String) audits.getFirst().get("details")).path("notes").asLong())
                .isEqualTo(SyncRetention.BATCH * 3);
    }

    @Test
    void aPurgeAnotherInstanceHoldsIsLeftAloneUntilItsLeaseRunsOutThenFinishedWithTheWholeCount() {
        String revoked = synced(tenant, appKey, "notes");
        addNotes(revoked, 40);
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), revoked));
        Instant due = revokedAt(revoked).plus(RETENTION).plusSeconds(60);
        // Another instance claimed it, deleted the states and 10 notes, and is still at it.
        jdbc.update("INSERT INTO sync_purges (credential_id, tenant_id, lease_owner, lease_until, started_at, models, "
                + "notes) VALUES (?, ?, gen_random_uuid(), now() + interval '5 minutes', now(), 1, 10)",
                revoked, tenant.id());
        jdbc.update("DELETE FROM sync_states WHERE credential_id = ?", revoked);
        jdbc.update("DELETE FROM synced_notes WHERE credential_id = ? AND provider_id IN (SELECT provider_id "
                + "FROM synced_notes WHERE credential_id = ? LIMIT 10)", revoked, revoked);

        retention.purgeDue(due);
        assertThat(rows("synced_notes", revoked)).isEqualTo(30);
        assertThat(purgeAudits(revoked)).isEmpty();

        // That instance died: once its lease has run out, the purge is carried on and reports the whole.
        jdbc.update("UPDATE sync_purges SET lease_until = now() - interval '1 second' WHERE credential_id = ?",
                revoked);
        retention.purgeDue(due);

        assertThat(rows("synced_notes", revoked)).isZero();
        List<Map<String, Object>> audits = purgeAudits(revoked);
        assertThat(audits).hasSize(1);
        JsonNode details = JSON.readTree((String) audits.getFirst().get("details"));
        assertThat(details.path("notes").asLong()).isEqualTo(40);
        assertThat(details.path("models").asLong()).isEqualTo(1);
    }

    private void addNotes(String credential, int count) {
        jdbc.update("""
                INSERT INTO synced_notes (tenant_id, credential_id, provider_id, body, original, synced_at)
                SELECT tenant_id, id, 'bulk-' || n, 'note ' || n, '{}'::jsonb, now()
                FROM credentials, generate_series(1, ?) n WHERE id = ?""", count, credential);
    }

    /** Another tenant's synced credential, revoked only now: its data must outlive this test's purge. */
    private String othersSyncedAndRevoked(TestTenant other) {
        String key = followUpBoss(other);
        String credential = synced(other, key, "people");
        jdbc.update("""
                INSERT INTO synced_people (tenant_id, credential_id, provider_id, name, original, synced_at)
                VALUES (?, ?, '1', 'Someone', '{}'::jsonb, now())""", other.id(), credential);
        asAdmin(other, () -> credentials.revoke(other.id(), credential));
        // Revoked a week after this test's credential.
        jdbc.update("UPDATE credentials SET revoked_at = revoked_at + interval '7 days' WHERE id = ?", credential);
        return credential;
    }

    private void stubNotes() {
        provider.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/notes"))
                .willReturn(ok("notes-page-3.json")));
    }

    private Instant revokedAt(String credential) {
        return jdbc.queryForObject("SELECT revoked_at FROM credentials WHERE id = ?", java.time.OffsetDateTime.class,
                credential).toInstant();
    }

    private List<Map<String, Object>> purgeAudits(String credential) {
        return jdbc.queryForList("SELECT actor_type, tenant_id, details FROM audit_events WHERE action = 'sync.purged' "
                + "AND target_id = ? ORDER BY seq", credential);
    }
}
