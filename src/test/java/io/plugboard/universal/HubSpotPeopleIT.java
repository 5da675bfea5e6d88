package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.PEOPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on HubSpot, its CRM v3 API stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/hubspot/} names its pages): the contacts list paged
 * by {@code after}, every filter served by the search endpoint with the request body HubSpot documents, get,
 * create and update with {@code {"properties": …}}, and each way an answer becomes an error, a refused access
 * token included.
 */
@PlugboardTest
class HubSpotPeopleIT extends UniversalCrmTestSupport {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String PROPERTIES = "firstname,lastname,email,phone,address,city,state,zip,country,"
            + "lifecyclestage,hubspot_owner_id,hs_analytics_source,createdate,lastmodifieddate";

    private String appKey;

    @BeforeAll
    void connectHubSpot() {
        // The built-in connector's OAuth and bearer auth, at WireMock (PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS maps it).
        appKey = oauthConnector(tenant, "hubspot-standin", null, provider.baseUrl());
        credentialId = oauthCredential(appKey, "hubspot-access", "hubspot-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsEveryPageByTheAfterTokenThenStops() {
        stubPage(null, 1);
        stubPage("NTI1Cg%3D%3D", 2);
        stubPage("NTI3Cg%3D%3D", 3);

        JsonNode page = json(universal("GET", PEOPLE + "?limit=2", null));
        assertThat(page.path("items")).hasSize(2);
        JsonNode mary = page.path("items").get(0);
        assertThat(mary.path("id").asString()).isEqualTo("512");
        assertThat(mary.path("firstName").asString()).isEqualTo("Mary");
        assertThat(mary.path("lastName").asString()).isEqualTo("Mcmillan");
        assertThat(mary.path("name").asString()).isEqualTo("Mary Mcmillan");
        assertThat(mary.path("emails")).hasSize(1);
        assertThat(mary.path("emails").get(0).path("value").asString()).isEqualTo("mary@example.com");
        assertThat(mary.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(mary.path("phones").get(0).path("value").asString()).isEqualTo("555-555-1234");
        assertThat(mary.path("addresses")).hasSize(1);
        assertThat(mary.path("addresses").get(0).path("street").asString()).isEqualTo("25 First Street");
        assertThat(mary.path("addresses").get(0).path("postalCode").asString()).isEqualTo("02139");
        assertThat(mary.path("addresses").get(0).path("country").asString()).isEqualTo("United States");
        assertThat(mary.path("stage").asString()).isEqualTo("lead");
        assertThat(mary.path("source").asString()).isEqualTo("ORGANIC_SEARCH");
        assertThat(mary.path("assignedUserId").asString()).isEqualTo("910901");
        assertThat(mary.path("createdAt").asString()).isEqualTo("2024-01-17T19:55:04.281Z");
        assertThat(mary.path("updatedAt").asString()).isEqualTo("2024-09-11T13:27:39.356Z");
        assertThat(mary.path("originalIds").path("id").asString()).isEqualTo("512");
        JsonNode john = page.path("items").get(1);
        assertThat(john.path("phones")).isEmpty();
        assertThat(john.path("addresses")).isEmpty();
        assertThat(john.path("assignedUserId").isNull()).isTrue();

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("514", "515");
        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("516");
        assertThat(third.path("nextCursor").isNull()).isTrue();

        provider.verify(3, getRequestedFor(urlPathEqualTo(CONTACTS))
                .withHeader("Authorization", equalTo("Bearer hubspot-access"))
                .withQueryParam("properties", equalTo(PROPERTIES)));
    }

    @Test
    void filtersGoToTheSearchEndpointAsHubSpotDocumentsIt() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS + "/search")).willReturn(okJson(stub("search-page.json"))));

        var response = universal("GET", PEOPLE + "?limit=10&email=mary@example.com&q=Mary&updatedSince="
                + URLEncoder.encode("2024-09-01T02:00:00+02:00", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode mary = json(response).path("items").get(0);
        assertThat(mary.path("id").asString()).isEqualTo("512");
        assertThat(mary.path("emails").get(0).path("value").asString()).isEqualTo("mary@example.com");
        assertThat(json(response).path("nextCursor").isNull()).isTrue();
        // The search page: filterGroups of {propertyName, operator, value}; times as milliseconds; query for text.
        provider.verify(postRequestedFor(urlPathEqualTo(CONTACTS + "/search"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"properties": ["firstname", "lastname", "email", "phone", "address", "city", "state", "zip",
                                        "country", "lifecyclestage", "hubspot_owner_id", "hs_analytics_source",
                                        "createdate", "lastmodifieddate"],
                         "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
                         "limit": 10,
                         "filterGroups": [{"filters": [
                           {"propertyName": "lastmodifieddate", "operator": "GTE", "value": "1725148800000"},
                           {"propertyName": "email", "operator": "EQ", "value": "mary@example.com"}]}],
                         "query": "Mary"}""")));
    }

    @Test
    void aSearchPastHubSpotsResultCapGoesOnFromTheLastContactsTimeLosingNone() {
        // The hubspot-capped mapping is hubspot.yaml's, its search capped at 4 results rather than 10,000.
        String capped = oauthCredential(oauthConnector(tenant, "hubspot-capped", null, provider.baseUrl()),
                "hubspot-access", "hubspot-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
        HubSpotSearchCap.stub(provider);
        Instant asked = Instant.parse("2026-12-01T00:00:00Z");

        var ids = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var response = universal(jwt(), capped, "GET", PEOPLE + (cursor == null
                    ? "?limit=2&updatedSince=" + asked : "?cursor=" + cursor), null);
            assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
            JsonNode page = json(response);
            page.path("items").forEach(person -> ids.add(person.path("id").asString()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
            assertThat(++pages).as("paging ends").isLessThan(10);
        } while (cursor != null);

        // The fourth contact is read again with its twin, which shares its time: nothing is skipped.
        assertThat(ids).containsExactly("512", "513", "514", "515", "515", "516", "517", "518");
        var searches = provider.findAll(postRequestedFor(urlPathEqualTo(HubSpotSearchCap.SEARCH)));
        assertThat(HubSpotSearchCap.since(searches)).containsExactly(asked, asked, HubSpotSearchCap.TIE,
                HubSpotSearchCap.TIE);
        assertThat(searches).as("never past the cap").noneMatch(r -> r.getBodyAsString().contains("\"after\":\"4\""));
    }

    @Test
    void moreRecordsSharingOneTimeThanTheCapAreA502NotAnEndlessLoop() {
        String capped = oauthCredential(oauthConnector(tenant, "hubspot-capped", null, provider.baseUrl()),
                "hubspot-access", "hubspot-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
        // Every search, however it starts, answers the two contacts sharing one time, page after page.
        provider.stubFor(HubSpotSearchCap.page(null).willReturn(HubSpotSearchCap.answer(3, 5, "2")));
        provider.stubFor(HubSpotSearchCap.page("2").willReturn(HubSpotSearchCap.answer(3, 5, "4")));

        HttpResponse<byte[]> response = null;
        String cursor = null;
        for (int page = 0; page < 4; page++) {
            response = universal(jwt(), capped, "GET", PEOPLE + (cursor == null
                    ? "?limit=2&updatedSince=2026-12-01T00:00:00Z" : "?cursor=" + cursor), null);
            if (response.statusCode() != 200) {
                break;
            }
            cursor = json(response).path("nextCursor").asString();
        }

        assertThat(response.statusCode()).as(text(response)).isEqualTo(502);
        assertThat(json(response).path("type").asString()).endsWith("/provider-result-cap");
        assertThat(json(response).path("detail").asString()).contains("2026-12-01T10:03:00Z");
        assertThat(provider.findAll(postRequestedFor(urlPathEqualTo(HubSpotSearchCap.SEARCH)))).hasSize(4);
    }

    @Test
    void searchPagesContinueWithAfterInTheBody() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS + "/search")).withRequestBody(matchingJsonPath("$.after", absent()))
                .willReturn(okJson(stub("contacts-page-1.json"))));
        provider.stubFor(post(urlPathEqualTo(CONTACTS + "/search"))
                .withRequestBody(matchingJsonPath("$.after", equalTo("NTI1Cg%3D%3D")))
                .willReturn(okJson(stub("contacts-page-3.json"))));

        JsonNode first = json(universal("GET", PEOPLE + "?limit=2&phone=555-555-1234", null));
        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + first.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("516");
        provider.verify(postRequestedFor(urlPathEqualTo(CONTACTS + "/search")).withRequestBody(equalToJson("""
                {"limit": 2, "after": "NTI1Cg%3D%3D",
                 "filterGroups": [{"filters": [{"propertyName": "phone", "operator": "EQ", "value": "555-555-1234"}]}]}""",
                true, true)));
    }

    @Test
    void getsOneContactAskingForTheMappedProperties() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/512")).withQueryParam("properties", equalTo(PROPERTIES))
                .willReturn(okJson(stub("contact.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/512?include=original", null));

        assertThat(person.path("name").asString()).isEqualTo("Mary Mcmillan");
        assertThat(person.path("original").path("properties").path("hs_object_id").asString()).isEqualTo("512");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createSendsThePropertiesObjectHubSpotDocuments() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("contact.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Mary", "lastName": "Mcmillan",
                 "emails": [{"value": "mary@example.com", "type": "work", "isPrimary": true}],
                 "phones": [{"value": "555-555-1234", "type": "mobile", "isPrimary": true}],
                 "addresses": [{"type": "home", "street": "25 First Street", "city": "Cambridge", "state": "MA",
                                "postalCode": "02139", "country": "United States"}],
                 "tags": ["Buyer"], "stage": "lead", "source": "Zillow", "assignedUserId": "910901"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/512");
        // The contacts guide: POST with the contact's values in a properties object, the address as its own
        // properties; source is HubSpot's own and HubSpot has no tags, so neither is sent.
        provider.verify(postRequestedFor(urlPathEqualTo(CONTACTS)).withRequestBody(equalToJson("""
                {"properties": {"firstname": "Mary", "lastname": "Mcmillan", "email": "mary@example.com",
                                "phone": "555-555-1234", "address": "25 First Street", "city": "Cambridge",
                                "state": "MA", "zip": "02139", "country": "United States",
                                "lifecyclestage": "lead", "hubspot_owner_id": "910901"}}""")));
    }

    @Test
    void updatePatchesOnlyTheChangedPropertiesAnEmptyAddressListClearingTheAddress() {
        provider.stubFor(patch(urlPathEqualTo(CONTACTS + "/512")).willReturn(okJson(stub("contact.json"))));

        var response = universal("PATCH", PEOPLE + "/512", """
                {"stage": "customer", "emails": [{"value": "mary@new.example.com"}], "addresses": []}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(patchRequestedFor(urlPathEqualTo(CONTACTS + "/512")).withRequestBody(equalToJson("""
                {"properties": {"lifecyclestage": "customer", "email": "mary@new.example.com",
                                "address": "", "city": "", "state": "", "zip": "", "country": ""}}""")));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aValidationErrorIs422WithHubSpotsMessage() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Mary", "emails": [{"value": "not-an-email"}]}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).startsWith("Property values were not valid")
                .contains("Email address not-an-email is invalid");
    }

    @Test
    void aMissingContactIsNotFound() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/999")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(stub("error-404.json"))));

        var response = universal("GET", PEOPLE + "/999", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("not-found");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429() {
        // HubSpot's 429 names the policy but no Retry-After: the proxy backs off, retries, then the API says 1 s.
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/5")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody(stub("error-429.json"))));

        var response = universal("GET", PEOPLE + "/5", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(response).path("detail").asString()).contains("You have reached your secondly limit.");
        provider.verify(3, getRequestedFor(urlPathEqualTo(CONTACTS + "/5")));
    }

    @Test
    void aRefusedAccessTokenIsRefreshedAndTheCallMadeAgain() {
        String expiring = oauthCredential(appKey, "revoked-access", "hubspot-refresh-2",
                Instant.now().plus(1, ChronoUnit.HOURS));
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/512")).withHeader("Authorization", equalTo("Bearer revoked-access"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                                + "\"category\":\"INVALID_AUTHENTICATION\"}")));
        provider.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(okJson(stub("token.json"))));
        String fresh = JSON.readTree(stub("token.json")).path("access_token").asString();
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/512")).withHeader("Authorization", equalTo("Bearer " + fresh))
                .willReturn(okJson(stub("contact.json"))));

        var response = universal(jwt(), expiring, "GET", PEOPLE + "/512", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("id").asString()).isEqualTo("512");
        provider.verify(postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token")));
    }

    // ------------------------------------------------------------------ helpers

    private void stubPage(@Nullable String after, int page) {
        var stub = get(urlPathEqualTo(CONTACTS)).withQueryParam("limit", equalTo("2"))
                .withQueryParam("archived", equalTo("false"))
                .withQueryParam("after", after == null ? absent() : equalTo(after));
        provider.stubFor(stub.willReturn(okJson(stub("contacts-page-" + page + ".json"))));
    }

    private static String stub(String file) {
        return stub("hubspot", file);
    }

}
