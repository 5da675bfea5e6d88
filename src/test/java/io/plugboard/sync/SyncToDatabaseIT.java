package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sync to DB against Follow Up Boss, its API stood in for by WireMock answering what its documentation shows (the
 * stub files under {@code universal/followupboss/} name their pages: https://docs.followupboss.com/reference/pagination,
 * https://docs.followupboss.com/reference/people-get, https://docs.followupboss.com/reference/rate-limiting).
 * The worker is driven step by step ({@link SyncWorker#runDue}): backfill, resume after a failure, incremental
 * runs, rate limits, deletions, concurrent claims, and who may see and configure what.
 */
@PlugboardTest
class SyncToDatabaseIT extends ProxyTestSupport {

    private static final String PAGE_2 = "eyJzaW5jZUlkIjoxMDV9";
    private static final String PAGE_3 = "eyJzaW5jZUlkIjoxMDN9";
    private static final String NOTES_PAGE_2 = "eyJzaW5jZUlkIjoxMTA0fQ";
    private static final String NOTES_PAGE_3 = "eyJzaW5jZUlkIjoxMTAyfQ";

    @Autowired
    SyncWorker worker;
    @Autowired
    SyncRunner runner;
    @Autowired
    SyncStates states;

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = connector("""
                appKey: fub-standin
                name: Follow Up Boss (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(provider.baseUrl()));
    }

    /** A test's syncs end with it, so the next test's runs are its own. */
    @AfterEach
    void stopSyncs() {
        jdbc.update("UPDATE sync_states SET enabled = false, lease_owner = NULL, lease_until = NULL "
                + "WHERE tenant_id = ?", tenant.id());
    }

    // ------------------------------------------------------------------ backfill and resuming

    @Test
    void aBackfillOfThreePagesStoresEveryRecordOnce() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));

        runDue();

        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947", "946");
        Map<String, Object> mary = jdbc.queryForMap("SELECT name, stage, source, assigned_user_id, tags::text AS tags, "
                + "emails->0->>'value' AS email, search, updated_at, original->>'lastActivity' AS activity "
                + "FROM synced_people WHERE credential_id = ? AND provider_id = '950'", credential);
        assertThat(mary).containsEntry("name", "Mary Mcmillan").containsEntry("stage", "Lead")
                .containsEntry("source", "Zillow").containsEntry("assigned_user_id", "7")
                .containsEntry("tags", "[\"Buyer\"]").containsEntry("email", "mary@example.com")
                .containsEntry("activity", "2012-04-23T02:23:11Z");
        assertThat((String) mary.get("search")).contains("mary mcmillan", "mary@example.com", "5555551250");
        JsonNode people = status(credential).path("models").get(0);
        assertThat(people.path("model").asString()).isEqualTo("people");
        assertThat(people.path("phase").asString()).isEqualTo("incremental");
        assertThat(people.path("state").asString()).isEqualTo("scheduled");
        assertThat(people.path("records").asLong()).isEqualTo(5);
        assertThat(people.path("lastSuccessAt").isString()).isTrue();
        assertThat(Instant.parse(people.path("nextRunAt").asString()))
                .isAfter(Instant.now().plus(Duration.ofMinutes(14)));
        // The same proxy path as the Universal API: logged with its source, under the sync's name.
        callLog.flush();
        assertThat(jdbc.queryForList("SELECT DISTINCT source || ' ' || actor FROM proxy_calls WHERE credential_id = ?",
                String.class, credential)).containsExactly("UNIVERSAL sync");
    }

    @Test
    void aRunThatFailsOnPageThreeResumesAtPageThreeWithoutDuplicatesOrGaps() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, aResponse().withStatus(500));

        runDue();

        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947");
        JsonNode failing = status(credential).path("models").get(0);
        assertThat(failing.path("state").asString()).isEqualTo("failing");
        assertThat(failing.path("phase").asString()).isEqualTo("backfill");
        assertThat(failing.path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(failing.path("lastError").asString()).contains("failed (500)");
        assertThat(failing.path("records").asLong()).isEqualTo(4);

        provider.resetAll();
        // Pages 1 and 2 are done: asking for them again would fail the run.
        stubPeople(null, 1, aResponse().withStatus(500));
        stubPeople(PAGE_2, 2, aResponse().withStatus(500));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();

        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947", "946");
        assertThat(peopleRequests()).extracting(r -> r.getRequest().queryParameter("next").firstValue())
                .containsExactly(PAGE_3);
        JsonNode done = status(credential).path("models").get(0);
        assertThat(done.path("state").asString()).isEqualTo("scheduled");
        assertThat(done.path("phase").asString()).isEqualTo("incremental");
        assertThat(done.path("lastError").isNull()).isTrue();
        assertThat(done.path("records").asLong()).isEqualTo(5);
    }

    @Test
    void aRateLimitReschedulesTheRunAtRetryAfterKeepingItsCheckpoint() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, aResponse().withStatus(429).withHeader("Retry-After", "120")
                .withHeader("Content-Type", "application/json").withBody("{\"errorMessage\": \"Too many requests\"}"));

        Instant before = Instant.now();
        runDue();

        JsonNode limited = status(credential).path("models").get(0);
        assertThat(limited.path("state").asString()).isEqualTo("scheduled");
        assertThat(limited.path("consecutiveFailures").asInt()).isZero();
        assertThat(limited.path("lastError").isNull()).isTrue();
        assertThat(Instant.parse(limited.path("nextRunAt").asString()))
                .isBetween(before.plusSeconds(110), Instant.now().plusSeconds(130));
        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949");
        assertThat(runDue()).as("not due before the CRM's wait is over").isZero();

        provider.resetAll();
        stubPeople(null, 1, aResponse().withStatus(500));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        runDue();

        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947", "946");
        assertThat(peopleRequests()).extracting(r -> r.getRequest().queryParameter("next").firstValue())
                .containsExactly(PAGE_2, PAGE_3);
    }

    // ------------------------------------------------------------------ incremental runs and deletions

    @Test
    void anIncrementalRunAsksForChangesSinceThePreviousPassLessTheOverlap() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        runDue();
        Instant highWaterMark = jdbc.queryForObject("SELECT high_water_mark FROM sync_states WHERE credential_id = ?",
                OffsetDateTime.class, credential).toInstant();

        provider.resetAll();
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("updatedAfter", matching(".+"))
                .willReturn(ok(changedMary())));
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();

        var requests = peopleRequests();
        assertThat(requests).hasSize(1);
        Instant since = Instant.parse(requests.getFirst().getRequest().queryParameter("updatedAfter").firstValue());
        assertThat(since).isEqualTo(highWaterMark.minus(Duration.ofMinutes(2)));
        assertThat(jdbc.queryForMap("SELECT stage, updated_at FROM synced_people WHERE credential_id = ? "
                + "AND provider_id = '950'", credential)).containsEntry("stage", "Active Client");
        // An incremental pass sees only what changed: the others are not taken for deleted.
        assertThat(peopleIds(credential)).hasSize(5);
        assertThat(status(credential).path("models").get(0).path("records").asLong()).isEqualTo(5);
    }

    @Test
    void onceADayAnIncrementalModelIsReadWholeAndWhatTheCrmDeletedIsMarked() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        runDue();
        jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours' WHERE credential_id = ?",
                credential);

        provider.resetAll();
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok(lastPage(stub("people-page-2.json"))));
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();

        assertThat(peopleRequests()).noneMatch(r -> r.getRequest().queryParameter("updatedAfter").isPresent());
        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947");
        assertThat(jdbc.queryForObject("SELECT deleted_at IS NOT NULL FROM synced_people WHERE credential_id = ? "
                + "AND provider_id = '946'", Boolean.class, credential)).isTrue();
        assertThat(jdbc.queryForObject("SELECT last_full_pass_at > now() - interval '1 minute' FROM sync_states "
                + "WHERE credential_id = ?", Boolean.class, credential)).isTrue();
        assertThat(status(credential).path("models").get(0).path("records").asLong()).isEqualTo(4);
    }

    @Test
    void aFullPassMarksWhatTheCrmNoLongerHasAsDeleted() {
        // Follow Up Boss lists notes without an updated-since filter: every run re-reads them all.
        String credential = syncedCredential("notes");
        stubNotes(null, ok("notes-page-1.json"));
        stubNotes(NOTES_PAGE_2, ok("notes-page-2.json"));
        stubNotes(NOTES_PAGE_3, ok("notes-page-3.json"));
        runDue();
        assertThat(liveNotes(credential)).containsExactlyInAnyOrder("1105", "1104", "1103", "1102", "1101");

        provider.resetAll();
        stubNotes(null, ok("notes-page-1.json"));
        stubNotes(NOTES_PAGE_2, ok(lastPage(stub("notes-page-2.json"))));
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();

        assertThat(liveNotes(credential)).containsExactlyInAnyOrder("1105", "1104", "1103", "1102");
        assertThat(jdbc.queryForObject("SELECT deleted_at IS NOT NULL FROM synced_notes WHERE credential_id = ? "
                + "AND provider_id = '1101'", Boolean.class, credential)).as("kept, marked deleted").isTrue();
        assertThat(peopleRequests()).isEmpty();
        JsonNode notes = status(credential).path("models").get(0);
        assertThat(notes.path("model").asString()).isEqualTo("notes");
        assertThat(notes.path("records").asLong()).isEqualTo(4);
    }

    @Test
    void tasksAndUsersAreStoredWithTheirUniversalFields() {
        String credential = apiKeyCredential(appKey, Map.of("apiKey", "fub-api-key"));
        assertThat(api("PUT", credential, "", "{\"models\": [\"users\", \"tasks\"]}").statusCode()).isEqualTo(200);
        // Tasks page by offset: a page shorter than the limit asked for is the last.
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).willReturn(ok("tasks-page-1.json")));
        provider.stubFor(get(urlPathEqualTo("/v1/users")).willReturn(ok("users.json")));

        runDue();

        assertThat(jdbc.queryForList("SELECT provider_id || ' ' || title || ' ' || completed || ' ' || due_at "
                + "AT TIME ZONE 'UTC' || ' ' || assigned_user_id FROM synced_tasks WHERE credential_id = ? "
                + "ORDER BY provider_id", String.class, credential)).containsExactly(
                "310 Call about the viewing false 2026-03-05 17:00:00 7", "311 Send the contract true 2026-03-05 17:00:00 7");
        assertThat(jdbc.queryForList("SELECT provider_id || ' ' || name || ' ' || email || ' ' || role "
                + "FROM synced_users WHERE credential_id = ? ORDER BY provider_id", String.class, credential))
                .containsExactly("1 Owen Broker owen@example.com Broker", "7 Jane Agent jane@example.com Agent");
        assertThat(status(credential).path("models")).extracting(m -> m.path("model").asString() + " "
                + m.path("phase").asString() + " " + m.path("records").asLong())
                .containsExactly("tasks incremental 2", "users incremental 2");
    }

    @Test
    void aModelLeftOutStopsSyncingAndItsRecordsStay() {
        String credential = syncedCredential("notes");
        stubNotes(null, ok("notes-page-1.json"));
        stubNotes(NOTES_PAGE_2, ok("notes-page-2.json"));
        stubNotes(NOTES_PAGE_3, ok("notes-page-3.json"));
        runDue();

        var changed = api("PUT", credential, "", "{\"models\": [\"tasks\", \"people\"], \"frequencyMinutes\": 60}");

        assertThat(changed.statusCode()).as(text(changed)).isEqualTo(200);
        assertThat(json(changed).path("models")).extracting(m -> m.path("model").asString())
                .containsExactly("people", "tasks");
        assertThat(json(changed).path("models")).allMatch(m -> m.path("frequencyMinutes").asInt() == 60);
        assertThat(liveNotes(credential)).hasSize(5);
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        assertThat(worker.claim(100)).filteredOn(c -> c.credentialId().equals(credential))
                .extracting(SyncStates.Claim::model).containsExactlyInAnyOrder(SyncModel.PEOPLE, SyncModel.TASKS);
    }

    // ------------------------------------------------------------------ claims

    @Test
    void workersClaimingAtTheSameTimeNeverRunTheSameCredentialAndModelTwice() throws Exception {
        String credential = syncedCredential("people");
        int workers = 8;
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            var futures = new ArrayList<Future<List<SyncStates.Claim>>>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return worker.claim(100);
                }));
            }
            start.countDown();
            var ours = Collections.synchronizedList(new ArrayList<SyncStates.Claim>());
            for (var future : futures) {
                future.get().stream().filter(c -> c.credentialId().equals(credential)).forEach(ours::add);
            }
            assertThat(ours).hasSize(1);
            assertThat(worker.claim(100)).noneMatch(c -> c.credentialId().equals(credential));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverWritesNothingAndTheNewOwnerRunsThePass() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        SyncStates.Claim stalled = ours(worker.claim(100), credential);
        // The first worker stops making progress: its lease runs out and another worker takes the run.
        jdbc.update("UPDATE sync_states SET lease_until = now() - interval '1 second' WHERE credential_id = ?",
                credential);
        SyncStates.Claim takenOver = ours(worker.claim(100), credential);

        assertThat(runner.run(stalled)).isEqualTo(SyncRunner.Outcome.LEASE_LOST);
        assertThat(peopleIds(credential)).isEmpty();
        assertThat(runner.run(takenOver)).isEqualTo(SyncRunner.Outcome.COMPLETED);
        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947", "946");
    }

    @Test
    void theWorkerRunsDueSyncsOnItsOwn() throws InterruptedException {
        var background = new SyncWorker(states, runner, new SyncProperties(true, 2, Duration.ofMillis(100),
                Duration.ofMinutes(5), 100, Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofHours(24), 2, 4, Duration.ofDays(30)));
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));

        background.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!status(credential).path("models").get(0).path("phase").asString().equals("incremental")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            background.stop();
        }

        assertThat(status(credential).path("models").get(0).path("phase").asString()).isEqualTo("incremental");
        assertThat(peopleIds(credential)).hasSize(5);
    }

    @Test
    void aStoppingWorkerSavesThePageInFlightAndHandsTheRunBackDueAtOnce() throws InterruptedException {
        var background = new SyncWorker(states, runner, new SyncProperties(true, 2, Duration.ofMillis(100),
                Duration.ofMinutes(5), 100, Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofHours(24), 2, 4, Duration.ofDays(30)));
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json").withFixedDelay(1500));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));

        background.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (peopleIds(credential).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            background.stop();
        }

        // Stopped after page 1 was saved: page 2 was either in flight (then saved too) or not yet asked for.
        assertThat(peopleIds(credential)).as(jdbc.queryForMap("SELECT * FROM sync_states WHERE credential_id = ?",
                credential).toString()).isSubsetOf("950", "949", "948", "947").hasSizeGreaterThanOrEqualTo(2);
        Map<String, Object> state = jdbc.queryForMap("SELECT lease_owner, next_run_at <= now() AS due, "
                + "consecutive_failures, phase FROM sync_states WHERE credential_id = ?", credential);
        assertThat(state).containsEntry("lease_owner", null).containsEntry("due", true)
                .containsEntry("consecutive_failures", 0).containsEntry("phase", "BACKFILL");
        runDue();
        assertThat(peopleIds(credential)).containsExactlyInAnyOrder("950", "949", "948", "947", "946");
        // Carried on from the checkpoint: page 1 was not read again.
        assertThat(peopleRequests()).filteredOn(r -> !r.getRequest().queryParameter("next").isPresent()).hasSize(1);
    }

    // ------------------------------------------------------------------ the API: who, and bad input

    @Test
    void anotherTenantCanNeitherSeeNorConfigureTheSyncAndTheDatabaseShowsItNone() {
        String credential = syncedCredential("people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        runDue();
        TestTenant other = TestTenants.create(context, "syncother");
        String otherToken = jwt(other, "tenant");

        assertThat(api(otherToken, "GET", credential, "", null).statusCode()).isEqualTo(404);
        assertThat(api(otherToken, "PUT", credential, "", "{\"models\": [\"people\"]}").statusCode()).isEqualTo(404);
        for (String action : List.of("/run", "/pause", "/resume")) {
            assertThat(api(otherToken, "POST", credential, action, null).statusCode()).as(action).isEqualTo(404);
        }
        var endUser = api(jwt(tenant, "end-user-7"), "GET", credential, "", null);
        assertThat(endUser.statusCode()).isEqualTo(403);

        String count = "SELECT count(*) FROM synced_people WHERE credential_id = ?";
        assertThat(TenantScope.tenant(other.id(), () -> jdbc.queryForObject(count, Long.class, credential))).isZero();
        assertThat(TenantScope.tenant(other.id(), () -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_states WHERE credential_id = ?", Long.class, credential))).isZero();
        assertThat(TenantScope.tenant(tenant.id(), () -> jdbc.queryForObject(count, Long.class, credential)))
                .isEqualTo(5);
    }

    @Test
    void pauseStopsRunsAndResumeMakesThemDueAgainAudited() {
        String credential = syncedCredential("people");

        JsonNode paused = json(api("POST", credential, "/pause", null));
        assertThat(paused.path("models").get(0).path("state").asString()).isEqualTo("paused");
        assertThat(paused.path("models").get(0).path("pausedReason").asString()).isEqualTo("admin");
        assertThat(worker.claim(100)).noneMatch(c -> c.credentialId().equals(credential));
        var refused = api("POST", credential, "/run", null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("detail").asString()).contains("paused");

        JsonNode resumed = json(api("POST", credential, "/resume", null));
        assertThat(resumed.path("models").get(0).path("state").asString()).isEqualTo("scheduled");
        assertThat(worker.claim(100)).anyMatch(c -> c.credentialId().equals(credential));
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE target_id = ? ORDER BY seq",
                String.class, credential)).contains("sync.configured", "sync.paused", "sync.resumed");
    }

    @Test
    void aRevokedCredentialPausesItsSync() {
        String credential = syncedCredential("people");
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), credential));

        runDue();

        JsonNode people = status(credential).path("models").get(0);
        assertThat(people.path("state").asString()).isEqualTo("paused");
        assertThat(people.path("pausedReason").asString()).isEqualTo("credential");
        assertThat(people.path("lastError").asString()).contains("revoked");
        assertThat(peopleRequests()).isEmpty();
    }

    @Test
    void aCredentialRevokedAfterTheClaimPausesTheSyncWhenTheProxyRefusesIt() {
        String credential = syncedCredential("people");
        SyncStates.Claim claimed = ours(worker.claim(100), credential);
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), credential));

        assertThat(runner.run(claimed)).isEqualTo(SyncRunner.Outcome.PAUSED);

        JsonNode people = status(credential).path("models").get(0);
        assertThat(people.path("state").asString()).isEqualTo("paused");
        assertThat(people.path("pausedReason").asString()).isEqualTo("credential");
        assertThat(peopleRequests()).isEmpty();
    }

    @Test
    void aCheckpointThatCannotBeOpenedStartsThePassOver() {
        String credential = syncedCredential("people");
        jdbc.update("UPDATE sync_states SET cursor = 'bm90IGEgY3Vyc29y.c2lnbmF0dXJl' WHERE credential_id = ?",
                credential);

        runDue();

        JsonNode failing = status(credential).path("models").get(0);
        assertThat(failing.path("state").asString()).isEqualTo("failing");
        assertThat(failing.path("lastError").asString()).contains("cursor");
        assertThat(jdbc.queryForObject("SELECT cursor FROM sync_states WHERE credential_id = ?", String.class,
                credential)).isNull();
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();
        assertThat(peopleIds(credential)).hasSize(5);
    }

    @Test
    void badSettingsAre400ProblemsNamingWhatIsWrong() {
        String credential = apiKeyCredential(appKey, Map.of("apiKey", "fub-api-key"));

        var unknownModel = api("PUT", credential, "", "{\"models\": [\"people\", \"deals\"]}");
        var noModels = api("PUT", credential, "", "{\"models\": []}");
        var tooOften = api("PUT", credential, "", "{\"models\": [\"people\"], \"frequencyMinutes\": 0}");
        var notJson = api("PUT", credential, "", "{\"models\": ");
        var wrongType = api("PUT", credential, "", "{\"models\": \"people\"}");

        for (var response : List.of(unknownModel, noModels, tooOften, notJson, wrongType)) {
            assertThat(response.statusCode()).as(text(response)).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
        }
        assertThat(json(unknownModel).path("detail").asString()).contains("cannot sync deals");
        assertThat(json(tooOften).path("detail").asString()).startsWith("frequencyMinutes");
        assertThat(api("GET", credential, "", null).statusCode()).isEqualTo(200);
        assertThat(json(api("GET", credential, "", null)).path("models")).isEmpty();
        assertThat(api("POST", credential, "/run", null).statusCode()).as("no sync configured").isEqualTo(404);
        assertThat(api("GET", "cred_nosuchthing", "", null).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ helpers

    /** A new Follow Up Boss credential whose sync of {@code model} is turned on through the API. */
    private String syncedCredential(String model) {
        String credential = apiKeyCredential(appKey, Map.of("apiKey", "fub-api-key"));
        var response = api("PUT", credential, "", "{\"models\": [\"" + model + "\"]}");
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode state = json(response).path("models").get(0);
        assertThat(state.path("model").asString()).isEqualTo(model);
        assertThat(state.path("phase").asString()).isEqualTo("backfill");
        assertThat(state.path("frequencyMinutes").asInt()).isEqualTo(15);
        return credential;
    }

    /** Runs whatever is due until nothing is (each run ends scheduled later, failing, paused or rate limited). */
    private int runDue() {
        int runs = 0;
        for (int ran = worker.runDue(); ran > 0; ran = worker.runDue()) {
            runs += ran;
        }
        return runs;
    }

    private static SyncStates.Claim ours(List<SyncStates.Claim> claims, String credential) {
        return claims.stream().filter(c -> c.credentialId().equals(credential)).findFirst().orElseThrow();
    }

    private JsonNode status(String credential) {
        return json(api("GET", credential, "", null));
    }

    private HttpResponse<byte[]> api(String method, String credential, String action, @Nullable String body) {
        return api(jwt(), method, credential, action, body);
    }

    private HttpResponse<byte[]> api(String token, String method, String credential, String action,
                                     @Nullable String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/"
                        + credential + "/sync" + action))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.build());
    }

    private List<String> peopleIds(String credential) {
        return jdbc.queryForList("SELECT provider_id FROM synced_people WHERE credential_id = ? AND deleted_at IS NULL",
                String.class, credential);
    }

    private List<String> liveNotes(String credential) {
        return jdbc.queryForList("SELECT provider_id FROM synced_notes WHERE credential_id = ? AND deleted_at IS NULL",
                String.class, credential);
    }

    private List<ServeEvent> peopleRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().startsWith("/v1/people")).toList();
    }

    private void stubPeople(@Nullable String next, int page, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("updatedAfter", absent())
                .withQueryParam("next", next == null ? absent() : equalTo(next))
                .willReturn(answer).atPriority(page));
    }

    private void stubNotes(@Nullable String next, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo("/v1/notes")).withQueryParam("next", next == null ? absent() : equalTo(next))
                .willReturn(answer));
    }

    private static ResponseDefinitionBuilder ok(String fileOrBody) {
        String body = fileOrBody.endsWith(".json") ? stub(fileOrBody) : fileOrBody;
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The documented answer in a stub file (its {@code _source} names the pages it comes from). */
    private static String stub(String file) {
        try (InputStream in = SyncToDatabaseIT.class.getResourceAsStream("/universal/followupboss/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Page 1's Mary, moved to another stage since: the only person an updated-since query finds. */
    private static String changedMary() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("people-page-1.json"));
        ObjectNode mary = (ObjectNode) page.path("people").get(0);
        mary.put("stage", "Active Client").put("updated", "2026-12-01T09:30:00Z");
        ArrayNode people = JSON.createArrayNode().add(mary);
        page.set("people", people);
        ((ObjectNode) page.path("_metadata")).putNull("next").putNull("nextLink").put("total", 1);
        return page.toString();
    }

    /** A page made the last one: the CRM no longer has what came after it. */
    private static String lastPage(String body) {
        ObjectNode page = (ObjectNode) JSON.readTree(body);
        ((ObjectNode) page.path("_metadata")).putNull("next").putNull("nextLink");
        return page.toString();
    }
}
