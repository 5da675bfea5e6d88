package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.PEOPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on Lofty leads, its API stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/lofty/} names its pages): limit and offset paging,
 * filters, get, create and update read back, and each way an answer becomes an error.
 */
@PlugboardTest
class LoftyPeopleIT extends UniversalCrmTestSupport {

    private static final String LEADS = "/v1.0/leads";
    private static final String JANE = "563172647619608";
    private static final String API_KEY = "lofty-api-key";

    @BeforeAll
    void connectLofty() {
        String appKey = connector(standIn(provider.baseUrl()));
        credentialId = apiKeyCredential(appKey, Map.of("apiKey", API_KEY));
    }

    /** The built-in connector's API and auth, at WireMock (PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS maps it). */
    static String standIn(String baseUrl) {
        return """
                appKey: lofty-standin
                name: Lofty (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s
                  auth:
                    type: HEADER
                    headerName: Authorization
                    template: "token {apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(baseUrl);
    }

    @Test
    void listsEveryPageByOffsetThenStops() {
        stubPage(null, 1);
        stubPage("2", 2);
        stubPage("4", 3);

        var first = universal("GET", PEOPLE + "?limit=2", null);
        assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
        JsonNode page = json(first);
        JsonNode jane = page.path("items").get(0);
        assertThat(jane.path("id").asString()).isEqualTo(JANE);
        assertThat(jane.path("name").asString()).isEqualTo("Jane Doe");
        assertThat(jane.path("emails")).extracting(n -> n.path("value").asString())
                .containsExactly("jane.doe@example.com", "jane-work@company.com");
        assertThat(jane.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(jane.path("emails").get(1).path("isPrimary").asBoolean()).isFalse();
        assertThat(jane.path("phones").get(0).path("value").asString()).isEqualTo("+14155551234");
        assertThat(jane.path("tags").get(0).asString()).isEqualTo("Hot Lead");
        assertThat(jane.path("stage").asString()).isEqualTo("New Lead");
        assertThat(jane.path("source").asString()).isEqualTo("Zillow");
        assertThat(jane.path("assignedUserId").asString()).isEqualTo("10000000514");
        assertThat(jane.path("createdAt").asString()).isEqualTo("2024-05-01T16:20:00Z");

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Lee", "Kay");
        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Fox");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo(LEADS)).withHeader("Authorization", equalTo("token " + API_KEY)));
    }

    @Test
    void filtersAreTheListsQueryParametersAndUpdatedSinceIsNotOne() {
        provider.stubFor(get(urlPathEqualTo(LEADS)).withQueryParam("email", equalTo("jane.doe@example.com"))
                .withQueryParam("phone", equalTo("+14155551234")).withQueryParam("key", equalTo("Jane"))
                .willReturn(okJson(stub("leads-page-3.json"))));

        var response = universal("GET", PEOPLE + "?email=jane.doe@example.com&phone=%2B14155551234&q=Jane", null);
        var since = universal("GET", PEOPLE + "?updatedSince=2026-01-31T00:00:00Z", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).hasSize(1);
        assertThat(since.statusCode()).isEqualTo(501);
        assertThat(problemType(since)).isEqualTo("filter-not-supported");
    }

    @Test
    void getsOneLeadFromUnderItsLeadKey() {
        provider.stubFor(get(urlPathEqualTo(LEADS + "/" + JANE)).willReturn(okJson(stub("lead.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/" + JANE + "?include=original", null));

        assertThat(person.path("firstName").asString()).isEqualTo("Jane");
        assertThat(person.path("original").path("zipCode").asString()).isEqualTo("95014");
    }

    @Test
    void createPostsTheLeadAsTheGuideShowsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(LEADS)).willReturn(okJson(stub("created.json"))));
        provider.stubFor(get(urlPathEqualTo(LEADS + "/" + JANE)).willReturn(okJson(stub("lead.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Jane", "lastName": "Doe",
                 "emails": [{"value": "jane-work@company.com"}, {"value": "jane.doe@example.com", "isPrimary": true}],
                 "phones": [{"value": "+14155551234"}], "tags": ["Hot Lead"], "source": "Zillow",
                 "assignedUserId": "10000000514"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/" + JANE);
        // The primary address goes first; tags are left out (the guide and the reference disagree on their shape).
        provider.verify(postRequestedFor(urlPathEqualTo(LEADS)).withRequestBody(equalToJson("""
                {"firstName": "Jane", "lastName": "Doe",
                 "emails": ["jane.doe@example.com", "jane-work@company.com"], "phones": ["+14155551234"],
                 "source": "Zillow", "assignedUserId": 10000000514}""")));
    }

    @Test
    void updatePutsOnlyTheChangedFieldsThenReadsTheLeadBack() {
        provider.stubFor(put(urlPathEqualTo(LEADS + "/" + JANE)).willReturn(okJson("{}")));
        provider.stubFor(get(urlPathEqualTo(LEADS + "/" + JANE)).willReturn(okJson(stub("lead.json"))));

        var response = universal("PATCH", PEOPLE + "/" + JANE, """
                {"stage": "Contacted"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("id").asString()).isEqualTo(JANE);
        provider.verify(putRequestedFor(urlPathEqualTo(LEADS + "/" + JANE)).withRequestBody(equalToJson("""
                {"stage": "Contacted"}""")));
    }

    @Test
    void refusalsMissingLeadsAndRateLimitsAreTheirProblems() {
        // The pages show no error bodies: a refusal without one is still a 422 naming the CRM.
        provider.stubFor(post(urlPathEqualTo(LEADS)).willReturn(aResponse().withStatus(400)));
        provider.stubFor(get(urlPathEqualTo(LEADS + "/1")).willReturn(aResponse().withStatus(404)));
        provider.stubFor(get(urlPathEqualTo(LEADS + "/2")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1")));

        var refused = universal("POST", PEOPLE, "{\"firstName\": \"Jane\"}");
        var missing = universal("GET", PEOPLE + "/1", null);
        var limited = universal("GET", PEOPLE + "/2", null);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).path("detail").asString()).contains("Lofty");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    }

    private void stubPage(@Nullable String offset, int file) {
        provider.stubFor(get(urlPathEqualTo(LEADS)).withQueryParam("limit", equalTo("2"))
                .withQueryParam("offset", offset == null ? absent() : equalTo(offset))
                .willReturn(okJson(stub("leads-page-" + file + ".json"))));
    }

    private static String stub(String file) {
        return stub("lofty", file);
    }

}
