package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sync to DB against Pipedrive: persons are API v2's {@code GET /api/v2/persons}, paged by {@code cursor} from
 * {@code additional_data.next_cursor} and filtered by {@code updated_since} (RFC 3339)
 * (https://developers.pipedrive.com/docs/api/v1/Persons); a 429 carries {@code x-ratelimit-limit},
 * {@code x-ratelimit-remaining} and {@code x-ratelimit-reset}, the seconds left in the 2-second window
 * (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting). The list is a GET, so the proxy first retries
 * it itself after the reset; a storm longer than its retries reaches the sync, which waits the reset too.
 */
@PlugboardTest
class PipedriveSyncIT extends CrmSyncContract {

    private static final String PERSONS = "/api/v2/persons";
    private static final List<String> CURSORS = List.of("", "eyJmaWVsZCI6ImlkIiwiaWQiOjJ9", "eyJmaWVsZCI6ImlkIiwiaWQiOjR9");

    private String appKey;

    @BeforeAll
    void connectPipedrive() {
        appKey = oauthConnector(tenant, "pipedrive-standin", null, provider.baseUrl() + "/api");
    }

    @Override
    String crm() {
        return "pipedrive";
    }

    @Override
    String newCredential() {
        return oauthCredential(appKey, "pipedrive-access", "pipedrive-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    @Override
    String listFile(int page) {
        return "persons-page-" + page + ".json";
    }

    @Override
    void stubListPage(int page, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo(PERSONS)).withQueryParam("updated_since", absent())
                .withQueryParam("cursor", page == 1 ? absent() : equalTo(CURSORS.get(page - 1))).willReturn(answer));
    }

    @Override
    int listPageOf(LoggedRequest request) {
        if (!request.getUrl().startsWith(PERSONS + "?") || request.queryParameter("updated_since").isPresent()) {
            return 0;
        }
        var cursor = request.queryParameter("cursor");
        return cursor.isPresent() ? CURSORS.indexOf(cursor.firstValue()) + 1 : 1;
    }

    @Override
    List<String> allIds() {
        return List.of("1", "2", "3", "4", "5");
    }

    @Override
    void stubChanges(ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo(PERSONS)).withQueryParam("updated_since", matching(".+")).willReturn(answer));
    }

    @Override
    @Nullable Instant changesSince(LoggedRequest request) {
        if (!request.getUrl().startsWith(PERSONS + "?")) {
            return null;
        }
        var since = request.queryParameter("updated_since");
        return since.isPresent() ? Instant.parse(since.firstValue()) : null;
    }

    @Override
    String changedName() {
        return "William Smith";
    }

    @Override
    String changesAnswer() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("persons-page-1.json"));
        ObjectNode will = (ObjectNode) page.path("data").get(0);
        will.put("name", "William Smith").put("first_name", "William").put("update_time", "2026-12-08T09:30:00Z");
        page.set("data", JSON.createArrayNode().add(will));
        ((ObjectNode) page.path("additional_data")).putNull("next_cursor");
        return page.toString();
    }

    @Override
    String page2AsLastPage() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("persons-page-2.json"));
        ((ObjectNode) page.path("additional_data")).putNull("next_cursor");
        return page.toString();
    }

    /** The day's full pass, whose second page is answered 429 {@code times} times. */
    @Override
    void stubRateLimitStorm(int times) {
        stubListPage(1, answer(stub("persons-page-1.json")));
        stubListPage(3, answer(stub("persons-page-3.json")));
        Supplier<MappingBuilder> page2 = () -> get(urlPathEqualTo(PERSONS))
                .withQueryParam("cursor", equalTo(CURSORS.get(1)));
        for (int i = 0; i < times; i++) {
            provider.stubFor(page2.get().inScenario("storm").whenScenarioStateIs(i == 0 ? STARTED : "limited-" + i)
                    .willSetStateTo("limited-" + (i + 1)).willReturn(aResponse().withStatus(429)
                            .withHeader("Content-Type", "application/json")
                            .withHeader("x-ratelimit-limit", "40")
                            .withHeader("x-ratelimit-remaining", "0")
                            .withHeader("x-ratelimit-reset", "2")
                            .withBody(stub("error-429.json"))));
        }
        provider.stubFor(page2.get().inScenario("storm").whenScenarioStateIs("limited-" + times)
                .willReturn(answer(stub("persons-page-2.json"))));
    }

    @Override
    boolean stormOnFullPass() {
        return true;
    }

    @Override
    long rateLimitedPageRequests() {
        return provider.findAll(getRequestedFor(urlPathEqualTo(PERSONS))
                .withQueryParam("cursor", equalTo(CURSORS.get(1)))).size();
    }

    @Override
    Duration documentedWait() {
        return Duration.ofSeconds(2);
    }
}
