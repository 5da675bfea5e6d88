package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.universal.HubSpotSearchCap;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sync to DB against HubSpot: the full list is {@code GET /crm/v3/objects/contacts} paged by {@code after}
 * (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide); changes come from the contacts search
 * with {@code lastmodifieddate GTE} the time in milliseconds, sorted by it and paged by {@code after} in the body
 * (https://developers.hubspot.com/docs/api/crm/search); a 429 carries no Retry-After but the window's headers
 * (https://developers.hubspot.com/docs/api/usage-details), and the search, a POST, is not retried by the proxy: the
 * storm reaches the sync, which waits the window.
 */
@PlugboardTest
class HubSpotSyncIT extends CrmSyncContract {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String SEARCH = CONTACTS + "/search";
    private static final List<String> AFTER = List.of("", "NTI1Cg%3D%3D", "NTI3Cg%3D%3D");
    private static final String SEARCH_PAGE_2 = "NTEzCg%3D%3D";

    private String appKey;
    private String cappedKey;

    @BeforeAll
    void connectHubSpot() {
        appKey = oauthConnector(tenant, "hubspot-standin", null, provider.baseUrl());
        // hubspot.yaml's people with the search capped at 4 results rather than 10,000, in pages of 2.
        cappedKey = oauthConnector(tenant, "hubspot-capped", null, provider.baseUrl());
    }

    /**
     * More changes than one search answers (a bulk import): the pass goes on from the last contact's time rather
     * than failing on the cap's 400, and stores each changed contact once.
     */
    @Test
    void anIncrementalPassWithMoreChangesThanOneSearchAnswersStoresEveryChangeOnce() {
        String credential = oauthCredential(cappedKey, "hubspot-access", "hubspot-refresh",
                Instant.now().plus(1, ChronoUnit.HOURS));
        assertOk(api("PUT", credential, "", "{\"models\": [\"people\"]}"));
        for (int page = 1; page <= 3; page++) {
            stubListPage(page, answer(stub(listFile(page))));
        }
        runDue();
        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(allIds());
        provider.resetAll();
        HubSpotSearchCap.stub(provider);

        assertOk(api("POST", credential, "/run", null));
        runDue();

        JsonNode people = json(api("GET", credential, "", null)).path("models").get(0);
        assertThat(people.path("lastError").isNull()).as(people.toString()).isTrue();
        assertThat(peopleIds(credential)).containsExactlyInAnyOrderElementsOf(HubSpotSearchCap.IDS);
        assertThat(jdbc.queryForObject("SELECT count(*) - count(DISTINCT provider_id) FROM synced_people "
                + "WHERE credential_id = ?", Long.class, credential)).isZero();
        assertThat(jdbc.queryForObject("SELECT name FROM synced_people WHERE credential_id = ? AND provider_id = '516'",
                String.class, credential)).as("the contact sharing the time the second search starts from")
                .isEqualTo("Barbara Liskov");
        var searches = provider.findAll(postRequestedFor(urlPathEqualTo(SEARCH)));
        // Two searches from the pass's time, two from the fourth contact's too (the stand-in's contacts keep their
        // documented-looking times, older than the pass's: it answers by page, not by time).
        assertThat(searches).hasSize(4).extracting(r -> r.getBodyAsString()
                .contains("\"value\":\"" + HubSpotSearchCap.TIE.toEpochMilli() + "\"")).containsExactly(false, false, true, true);
    }

    @Override
    String crm() {
        return "hubspot";
    }

    @Override
    String newCredential() {
        return oauthCredential(appKey, "hubspot-access", "hubspot-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    @Override
    String listFile(int page) {
        return "contacts-page-" + page + ".json";
    }

    @Override
    void stubListPage(int page, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo(CONTACTS)).withQueryParam("archived", equalTo("false"))
                .withQueryParam("after", page == 1 ? absent() : equalTo(AFTER.get(page - 1))).willReturn(answer));
    }

    @Override
    int listPageOf(LoggedRequest request) {
        if (!request.getMethod().getName().equals("GET") || !request.getUrl().startsWith(CONTACTS + "?")) {
            return 0;
        }
        var after = request.queryParameter("after");
        return after.isPresent() ? AFTER.indexOf(after.firstValue()) + 1 : 1;
    }

    @Override
    List<String> allIds() {
        return List.of("512", "513", "514", "515", "516");
    }

    @Override
    void stubChanges(ResponseDefinitionBuilder answer) {
        provider.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(answer));
    }

    @Override
    @Nullable Instant changesSince(LoggedRequest request) {
        if (!request.getUrl().equals(SEARCH)) {
            return null;
        }
        for (JsonNode filter : JSON.readTree(request.getBodyAsString()).path("filterGroups").path(0).path("filters")) {
            if (filter.path("propertyName").asString().equals("lastmodifieddate")
                    && filter.path("operator").asString().equals("GTE")) {
                return Instant.ofEpochMilli(Long.parseLong(filter.path("value").asString()));
            }
        }
        return null;
    }

    @Override
    String changedName() {
        return "Marianne Mcmillan";
    }

    @Override
    String changesAnswer() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("search-page.json"));
        ObjectNode mary = (ObjectNode) page.path("results").get(0);
        ((ObjectNode) mary.path("properties")).put("firstname", "Marianne")
                .put("lastmodifieddate", "2026-12-08T09:30:00.000Z");
        mary.put("updatedAt", "2026-12-08T09:30:00.000Z");
        return page.toString();
    }

    @Override
    String page2AsLastPage() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("contacts-page-2.json"));
        page.remove("paging");
        return page.toString();
    }

    /**
     * The day's full pass reads the list by GET, which the proxy retries itself; the storm is put on a search instead:
     * an incremental pass whose second search page is rate limited.
     */
    @Override
    void stubRateLimitStorm(int times) {
        ObjectNode first = (ObjectNode) JSON.readTree(changesAnswer());
        first.putObject("paging").putObject("next").put("after", SEARCH_PAGE_2).put("link", "?after=" + SEARCH_PAGE_2);
        provider.stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.after", absent()))
                .willReturn(answer(first.toString())));
        Supplier<MappingBuilder> page2 = () -> post(urlPathEqualTo(SEARCH))
                .withRequestBody(matchingJsonPath("$.after", equalTo(SEARCH_PAGE_2)));
        for (int i = 0; i < times; i++) {
            provider.stubFor(page2.get().inScenario("storm").whenScenarioStateIs(i == 0 ? STARTED : "limited-" + i)
                    .willSetStateTo("limited-" + (i + 1)).willReturn(aResponse().withStatus(429)
                            .withHeader("Content-Type", "application/json;charset=utf-8")
                            .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                            .withHeader("X-HubSpot-RateLimit-Max", "190")
                            .withHeader("X-HubSpot-RateLimit-Remaining", "0")
                            .withBody(stub("error-429.json"))));
        }
        // The second page: John, changed too.
        ObjectNode last = (ObjectNode) JSON.readTree(stub("search-page.json"));
        ObjectNode john = (ObjectNode) last.path("results").get(0);
        john.put("id", "513");
        ((ObjectNode) john.path("properties")).put("hs_object_id", "513").put("firstname", "John").put("lastname", "Doe")
                .put("email", "john@example.com");
        provider.stubFor(page2.get().inScenario("storm").whenScenarioStateIs("limited-" + times)
                .willReturn(answer(last.toString())));
    }

    @Override
    boolean stormOnFullPass() {
        return false;
    }

    @Override
    long rateLimitedPageRequests() {
        return provider.findAll(postRequestedFor(urlPathEqualTo(SEARCH))
                .withRequestBody(matchingJsonPath("$.after", equalTo(SEARCH_PAGE_2)))).size();
    }

    @Override
    Duration documentedWait() {
        return Duration.ofSeconds(10);
    }
}
