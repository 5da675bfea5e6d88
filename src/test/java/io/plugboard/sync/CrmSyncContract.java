package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.proxy.ProxyTestSupport;
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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What Sync to DB must do against every CRM, each stood in for by WireMock answering what its documentation shows
 * (the stub files under {@code universal/<crm>/} cite the pages): a backfill over three pages, a run cut off by a
 * dead instance and carried on by another from its checkpoint, incremental passes that ask for changes since the
 * last pass less the overlap, deletions found by the full reconciliation, a storm of 429s slowing a run by what the
 * CRM's own headers ask without failing it, and concurrent claims. A subclass says how its CRM pages, filters and
 * limits; the tests are the same for each.
 */
abstract class CrmSyncContract extends SyncTestSupport {

    /** The folder of the CRM's stub files. */
    abstract String crm();

    /** A new credential of the stood-in CRM (its connector is created once per class). */
    abstract String newCredential();

    /** Stubs page {@code page} (1 to 3) of the full list of people. */
    abstract void stubListPage(int page, ResponseDefinitionBuilder answer);

    /** Which page of the full list a request asked for: 1 to 3, or 0 when it is not a request for the full list. */
    abstract int listPageOf(LoggedRequest request);

    /** The CRM's ids of the people on the three pages, in order. */
    abstract List<String> allIds();

    /** The answer to a request for changes: page 1's first person with {@link #changedName()}. */
    abstract void stubChanges(ResponseDefinitionBuilder answer);

    /** The time a request for changes asked for them since, or null when the request is not one. */
    abstract @Nullable Instant changesSince(LoggedRequest request);

    abstract String changedName();

    /** Page 2's documented answer made the last page: the CRM no longer has what came after it. */
    abstract String page2AsLastPage();

    /**
     * Sets up a pass (after the backfill) in which one page is answered {@code times} times with the CRM's documented
     * 429 before its documented answer; the requests for that page are counted by {@link #rateLimitedPageRequests}.
     */
    abstract void stubRateLimitStorm(int times);

    /** Whether the storm is on the day's full pass (else on an incremental one). */
    abstract boolean stormOnFullPass();

    abstract long rateLimitedPageRequests();

    /** How long the CRM's 429 headers ask a caller to wait. */
    abstract Duration documentedWait();

    @AfterEach
    void forgetRequests() {
        provider.resetAll();
    }

    @Test
    void aBackfillOverThreePagesStoresEveryPersonOnce() {
        String credential = syncedCredential();
        stubAllPages();

        runDue();

        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(allIds());
        assertNoDuplicates(credential);
        JsonNode people = people(credential);
        assertThat(people.path("phase").asString()).isEqualTo("incremental");
        assertThat(people.path("state").asString()).isEqualTo("scheduled");
        assertThat(people.path("records").asLong()).isEqualTo(allIds().size());
        assertThat(listRequests()).containsExactly(1, 2, 3);
    }

    @Test
    void aRunLeftByADeadInstanceIsCarriedOnByAnotherFromItsCheckpoint() {
        String credential = syncedCredential();
        stubAllPages();
        SyncStates.Claim first = oursFor(credential);
        var pages = new AtomicInteger();

        // The first instance saves pages 1 and 2, then dies: its lease stays until it runs out.
        assertThat(runner.run(first, () -> pages.incrementAndGet() < 2)).isEqualTo(SyncRunner.Outcome.STOPPED);
        jdbc.update("UPDATE sync_states SET lease_owner = gen_random_uuid(), lease_until = now() + interval '5 minutes'"
                + " WHERE credential_id = ?", credential);
        List<String> saved = peopleIds(credential);
        assertThat(saved).hasSize(allIds().size() - 1);
        assertThat(ours(worker.claim(100))).as("leased by the dead instance").noneMatch(c -> c.credentialId().equals(credential));

        jdbc.update("UPDATE sync_states SET lease_until = now() - interval '1 second' WHERE credential_id = ?",
                credential);
        SyncStates.Claim takenOver = oursFor(credential);
        assertThat(runner.run(takenOver)).isEqualTo(SyncRunner.Outcome.COMPLETED);

        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(allIds());
        assertNoDuplicates(credential);
        assertThat(listRequests()).as("page 3 read once, after pages 1 and 2, nothing again").containsExactly(1, 2, 3);
    }

    @Test
    void anIncrementalPassAsksForChangesSinceThePreviousPassLessTheOverlap() {
        String credential = backfilled();
        Instant previousPass = jdbc.queryForObject("SELECT high_water_mark FROM sync_states WHERE credential_id = ?",
                OffsetDateTime.class, credential).toInstant();
        provider.resetAll();
        stubChanges(answer(null));

        runNow(credential);

        List<Instant> since = received().stream().map(e -> changesSince(e.getRequest()))
                .filter(Objects::nonNull).toList();
        // Never later than asked (a change would slip through), at most the CRM's precision earlier (milliseconds).
        Instant expected = previousPass.minus(Duration.ofMinutes(2));
        assertThat(since).hasSize(1);
        assertThat(since.getFirst()).isBetween(expected.minusMillis(1), expected);
        assertThat(listRequests()).as("not read whole").isEmpty();
        assertThat(jdbc.queryForObject("SELECT name FROM synced_people WHERE credential_id = ? AND provider_id = ?",
                String.class, credential, allIds().getFirst())).isEqualTo(changedName());
        assertThat(peopleIds(credential)).hasSize(allIds().size());
        assertNoDuplicates(credential);
    }

    @Test
    void theDailyFullPassMarksWhatTheCrmDeletedAndKeepsIt() {
        String credential = backfilled();
        jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours' WHERE credential_id = ?",
                credential);
        provider.resetAll();
        stubListPage(1, answer(stub(listFile(1))));
        stubListPage(2, answer(page2AsLastPage()));

        runNow(credential);

        List<String> kept = allIds().subList(0, allIds().size() - 1);
        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(jdbc.queryForObject("SELECT deleted_at IS NOT NULL FROM synced_people WHERE credential_id = ? "
                + "AND provider_id = ?", Boolean.class, credential, allIds().getLast())).as("kept, marked deleted").isTrue();
        assertThat(people(credential).path("records").asLong()).isEqualTo(kept.size());
    }

    @Test
    void aStormOfRateLimitsSlowsTheRunByWhatTheCrmAsksWithoutFailingIt() {
        String credential = backfilled();
        provider.resetAll();
        stubRateLimitStorm(4);
        Instant stormStart = Instant.now();
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        if (stormOnFullPass()) {
            jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours' WHERE credential_id = ?",
                    credential);
        }

        int slowed = 0;
        while (runDue() > 0 && !succeededSince(credential, stormStart)) {
            JsonNode people = people(credential);
            assertThat(people.path("state").asString()).isEqualTo("scheduled");
            assertThat(people.path("consecutiveFailures").asInt()).isZero();
            assertThat(people.path("lastError").isNull()).isTrue();
            Duration wait = Duration.between(Instant.now(), Instant.parse(people.path("nextRunAt").asString()));
            assertThat(wait).as("what the CRM's headers asked, not a guess")
                    .isBetween(documentedWait().minusSeconds(2), documentedWait().plusSeconds(3));
            slowed++;
            assertThat(slowed).as("the storm ends").isLessThan(10);
            jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        }

        assertThat(slowed).isPositive();
        assertThat(succeededSince(credential, stormStart)).isTrue();
        assertThat(rateLimitedPageRequests()).isEqualTo(5);
        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(allIds());
        assertNoDuplicates(credential);
    }

    @Test
    void instancesClaimingAtOnceNeverRunTheSameSyncTwice() throws Exception {
        String credential = syncedCredential();
        int instances = 8;
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            var claims = new ArrayList<Future<List<SyncStates.Claim>>>();
            for (int i = 0; i < instances; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return worker.claim(100);
                }));
            }
            start.countDown();
            int claimed = 0;
            for (var claim : claims) {
                claimed += (int) ours(claim.get()).stream().filter(c -> c.credentialId().equals(credential)).count();
            }
            assertThat(claimed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A new credential with people synced, through the API as a tenant's backend turns it on. */
    String syncedCredential() {
        String credential = newCredential();
        var response = api("PUT", credential, "", "{\"models\": [\"people\"]}");
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        return credential;
    }

    private String backfilled() {
        String credential = syncedCredential();
        stubAllPages();
        runDue();
        assertThat(peopleIds(credential)).hasSize(allIds().size());
        return credential;
    }

    private void stubAllPages() {
        for (int page = 1; page <= 3; page++) {
            stubListPage(page, answer(stub(listFile(page))));
        }
    }

    /** The stub file of page {@code page} of the full list. */
    abstract String listFile(int page);

    private void runNow(String credential) {
        assertThat(api("POST", credential, "/run", null).statusCode()).isEqualTo(200);
        runDue();
    }


    private boolean succeededSince(String credential, Instant since) {
        String last = people(credential).path("lastSuccessAt").asString(null);
        return last != null && Instant.parse(last).isAfter(since);
    }

    private List<Integer> listRequests() {
        return received().stream().map(e -> listPageOf(e.getRequest())).filter(p -> p > 0).sorted().toList();
    }

    private SyncStates.Claim oursFor(String credential) {
        return ours(worker.claim(100)).stream().filter(c -> c.credentialId().equals(credential)).findFirst()
                .orElseThrow();
    }


    private JsonNode people(String credential) {
        JsonNode models = json(api("GET", credential, "", null)).path("models");
        assertThat(models).hasSize(1);
        return models.get(0);
    }

    List<String> peopleIds(String credential) {
        return jdbc.queryForList("SELECT provider_id FROM synced_people WHERE credential_id = ? AND deleted_at IS NULL",
                String.class, credential);
    }

    private void assertNoDuplicates(String credential) {
        assertThat(jdbc.queryForObject("SELECT count(*) - count(DISTINCT provider_id) FROM synced_people "
                + "WHERE credential_id = ?", Long.class, credential)).isZero();
    }


    /** A 200 with a JSON body; null: the CRM's answer to a request for changes ({@link #changesAnswer()}). */
    ResponseDefinitionBuilder answer(@Nullable String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body == null ? changesAnswer() : body);
    }

    /** The CRM's answer to a request for changes: one page holding page 1's first person, renamed. */
    abstract String changesAnswer();

    /** The documented answer in {@code universal/<crm>/<file>}: its {@code response} member. */
    String stub(String file) {
        try (InputStream in = CrmSyncContract.class.getResourceAsStream("/universal/" + crm() + "/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
