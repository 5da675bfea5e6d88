package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.PEOPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on Pipedrive's API v2, stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/pipedrive/} names its pages): persons paged by
 * {@code cursor}, {@code updated_since} on the list, e-mail, phone and name through the persons search (whose
 * results are shaped differently), get, create and update with the full name joined, and each way an answer
 * becomes an error, a refused access token included.
 */
@PlugboardTest
class PipedrivePeopleIT extends UniversalCrmTestSupport {

    private static final String PERSONS = "/api/v2/persons";

    private String appKey;

    @BeforeAll
    void connectPipedrive() {
        // The built-in connector's base (…/api) and bearer auth, at WireMock; PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS maps it.
        appKey = oauthConnector(tenant, "pipedrive-standin", null, provider.baseUrl() + "/api");
        credentialId = oauthCredential(appKey, "pipedrive-access", "pipedrive-refresh",
                Instant.now().plus(1, ChronoUnit.HOURS));
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsEveryPageByTheCursorThenStops() {
        stubPage(null, 1);
        stubPage("eyJmaWVsZCI6ImlkIiwiaWQiOjJ9", 2);
        stubPage("eyJmaWVsZCI6ImlkIiwiaWQiOjR9", 3);

        JsonNode page = json(universal("GET", PEOPLE + "?limit=2", null));
        assertThat(page.path("items")).hasSize(2);
        JsonNode will = page.path("items").get(0);
        assertThat(will.path("id").asString()).isEqualTo("1");
        assertThat(will.path("firstName").asString()).isEqualTo("Will");
        assertThat(will.path("lastName").asString()).isEqualTo("Smith");
        assertThat(will.path("name").asString()).isEqualTo("Will Smith");
        assertThat(will.path("emails").get(0).path("value").asString()).isEqualTo("will@example.com");
        assertThat(will.path("emails").get(0).path("type").asString()).isEqualTo("work");
        assertThat(will.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(will.path("phones").get(0).path("type").asString()).isEqualTo("mobile");
        assertThat(will.path("assignedUserId").asString()).isEqualTo("123");
        assertThat(will.path("createdAt").asString()).isEqualTo("2024-01-01T10:00:00Z");
        assertThat(will.path("updatedAt").asString()).isEqualTo("2024-06-01T10:00:00Z");
        assertThat(page.path("items").get(1).path("phones")).isEmpty();

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("3", "4");
        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("5");
        assertThat(third.path("nextCursor").isNull()).isTrue();

        provider.verify(3, getRequestedFor(urlPathEqualTo(PERSONS))
                .withHeader("Authorization", equalTo("Bearer pipedrive-access")));
    }

    @Test
    void updatedSinceIsTheListsOwnFilter() {
        provider.stubFor(get(urlPathEqualTo(PERSONS)).withQueryParam("updated_since", equalTo("2024-05-31T22:00:00Z"))
                .willReturn(okJson(stub("persons-page-3.json"))));

        var response = universal("GET", PEOPLE + "?updatedSince="
                + URLEncoder.encode("2024-06-01T00:00:00+02:00", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).extracting(n -> n.path("id").asString()).containsExactly("5");
    }

    @Test
    void anEmailIsFoundThroughThePersonsSearch() {
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/search")).withQueryParam("term", equalTo("will@example.com"))
                .withQueryParam("fields", equalTo("email")).withQueryParam("exact_match", equalTo("true"))
                .withQueryParam("limit", equalTo("25")).withQueryParam("cursor", absent())
                .willReturn(okJson(stub("search-email.json"))));

        var response = universal("GET", PEOPLE + "?email=will@example.com&include=original", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode will = json(response).path("items").get(0);
        assertThat(will.path("id").asString()).isEqualTo("1");
        assertThat(will.path("name").asString()).isEqualTo("Will Smith");
        assertThat(will.path("emails").get(0).path("value").asString()).isEqualTo("will@example.com");
        assertThat(will.path("phones").get(0).path("value").asString()).isEqualTo("12345");
        assertThat(will.path("assignedUserId").asString()).isEqualTo("123");
        assertThat(will.path("original").path("type").asString()).isEqualTo("person");
        assertThat(json(response).path("nextCursor").isNull()).isTrue();
    }

    @Test
    void phoneAndNameUseTheSearchFieldsAndCannotBeCombined() {
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/search")).withQueryParam("term", equalTo("12345"))
                .withQueryParam("fields", equalTo("phone")).willReturn(okJson(stub("search-email.json"))));
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/search")).withQueryParam("term", equalTo("Will"))
                .withQueryParam("fields", equalTo("name")).withQueryParam("exact_match", absent())
                .willReturn(okJson(stub("search-email.json"))));

        assertThat(universal("GET", PEOPLE + "?phone=12345", null).statusCode()).isEqualTo(200);
        assertThat(universal("GET", PEOPLE + "?q=Will", null).statusCode()).isEqualTo(200);
        var both = universal("GET", PEOPLE + "?email=will@example.com&phone=12345", null);
        var withTime = universal("GET", PEOPLE + "?email=will@example.com&updatedSince=2024-01-01T00:00:00Z", null);

        assertThat(both.statusCode()).isEqualTo(501);
        assertThat(problemType(both)).isEqualTo("filter-not-supported");
        assertThat(withTime.statusCode()).isEqualTo(501);
        assertThat(json(withTime).path("detail").asString()).contains("pipedrive-standin", "updatedSince and email");
        provider.verify(2, getRequestedFor(urlPathEqualTo(PERSONS + "/search")));
    }

    @Test
    void getsOnePerson() {
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/1")).willReturn(okJson(stub("person.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/1", null));

        assertThat(person.path("name").asString()).isEqualTo("Will Smith");
        assertThat(person.path("originalIds").path("id").asString()).isEqualTo("1");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createSendsThePersonAsTheV2DocumentationShowsIt() {
        provider.stubFor(post(urlPathEqualTo(PERSONS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("person.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Will", "lastName": "Smith",
                 "emails": [{"value": "will@example.com", "type": "work", "isPrimary": true}],
                 "phones": [{"value": "12345", "type": "mobile", "isPrimary": true}],
                 "tags": ["Buyer"], "stage": "Lead", "assignedUserId": "123"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/1");
        // The v2 person takes name (not first and last name), owner_id as a number, {value, primary, label} lists.
        provider.verify(postRequestedFor(urlPathEqualTo(PERSONS)).withRequestBody(equalToJson("""
                {"name": "Will Smith",
                 "emails": [{"value": "will@example.com", "label": "work", "primary": true}],
                 "phones": [{"value": "12345", "label": "mobile", "primary": true}],
                 "owner_id": 123}""")));
    }

    @Test
    void updatePatchesTheChangedFields() {
        provider.stubFor(patch(urlPathEqualTo(PERSONS + "/1")).willReturn(okJson(stub("person.json"))));

        var response = universal("PATCH", PEOPLE + "/1", """
                {"firstName": "Will", "lastName": "Smyth", "assignedUserId": "456"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(patchRequestedFor(urlPathEqualTo(PERSONS + "/1")).withRequestBody(equalToJson("""
                {"name": "Will Smyth", "owner_id": 456}""")));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aValidationErrorIs422WithPipedrivesMessage() {
        provider.stubFor(post(urlPathEqualTo(PERSONS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", PEOPLE, """
                {"name": "Will Smith", "emails": [{"value": "not-an-email"}]}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("Invalid email address: not-an-email");
    }

    @Test
    void aMissingPersonIsNotFoundWithPipedrivesMessage() {
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/999")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(stub("error-404.json"))));

        var response = universal("GET", PEOPLE + "/999", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("not-found");
        assertThat(json(response).path("detail").asString()).contains("Person not found");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429WithRetryAfter() {
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/5")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
                .withBody(stub("error-429.json"))));

        var response = universal("GET", PEOPLE + "/5", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problemType(response)).isEqualTo("rate-limited");
        provider.verify(3, getRequestedFor(urlPathEqualTo(PERSONS + "/5")));
    }

    @Test
    void aRefusedAccessTokenIsRefreshedAndTheCallMadeAgain() {
        String expiring = oauthCredential(appKey, "revoked-access", "pipedrive-refresh-2",
                Instant.now().plus(1, ChronoUnit.HOURS));
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/1")).withHeader("Authorization", equalTo("Bearer revoked-access"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"success\":false,\"error\":\"unauthorized access\",\"errorCode\":401}")));
        provider.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(okJson(stub("token.json"))));
        String fresh = JSON.readTree(stub("token.json")).path("access_token").asString();
        provider.stubFor(get(urlPathEqualTo(PERSONS + "/1")).withHeader("Authorization", equalTo("Bearer " + fresh))
                .willReturn(okJson(stub("person.json"))));

        var response = universal(jwt(), expiring, "GET", PEOPLE + "/1", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("name").asString()).isEqualTo("Will Smith");
        provider.verify(postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token")));
    }

    // ------------------------------------------------------------------ helpers

    private void stubPage(@Nullable String cursor, int page) {
        var stub = get(urlPathEqualTo(PERSONS)).withQueryParam("sort_by", equalTo("id"))
                .withQueryParam("sort_direction", equalTo("asc")).withQueryParam("limit", equalTo("2"))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor));
        provider.stubFor(stub.willReturn(okJson(stub("persons-page-" + page + ".json"))));
    }

    private static String stub(String file) {
        return stub("pipedrive", file);
    }

}
