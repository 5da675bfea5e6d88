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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on Zoho CRM contacts, its API stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/zoho-crm/} names its pages): page numbers while
 * {@code info.more_records}, searches on their own endpoint, If-Modified-Since for updatedSince, writes wrapped
 * in {@code data} and read back, and each way an answer becomes an error.
 */
@PlugboardTest
class ZohoCrmPeopleIT extends UniversalCrmTestSupport {

    private static final String CONTACTS = "/crm/v8/Contacts";
    private static final String FIELDS = "First_Name,Last_Name,Full_Name,Email,Phone,Lead_Source,Owner,Created_Time,"
            + "Modified_Time";
    private static final String TOKEN = "1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf";
    private static final String THERESA = "3652397000000624046";

    @BeforeAll
    void connectZoho() {
        // The built-in connector's API is {api_domain}/crm from the token answer; the stand-in's is WireMock's.
        String appKey = oauthConnector(tenant, "zoho-standin", null, provider.baseUrl() + "/crm");
        credentialId = oauthCredential(appKey, TOKEN, "refresh", Instant.now().plus(Duration.ofHours(1)));
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsPageByPageWhileZohoSaysMoreRecordsFollow() {
        stubPage(null, 1);
        stubPage("2", 2);
        stubPage("3", 3);

        var first = universal("GET", PEOPLE + "?limit=2", null);
        assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
        JsonNode page = json(first);
        JsonNode theresa = page.path("items").get(0);
        assertThat(theresa.path("id").asString()).isEqualTo(THERESA);
        assertThat(theresa.path("firstName").asString()).isEqualTo("Theresa");
        assertThat(theresa.path("name").asString()).isEqualTo("Theresa Beck");
        assertThat(theresa.path("emails").get(0).path("value").asString()).isEqualTo("theresa@zylker.com");
        assertThat(theresa.path("phones").get(0).path("value").asString()).isEqualTo("555-555-5555");
        assertThat(theresa.path("source").asString()).isEqualTo("Trade Show");
        assertThat(theresa.path("assignedUserId").asString()).isEqualTo("3652397000000186017");
        assertThat(theresa.path("createdAt").asString()).isEqualTo("2024-03-18T08:40:04Z");
        assertThat(theresa.path("updatedAt").asString()).isEqualTo("2024-03-19T03:30:00Z");

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Kitzman", "Chui");
        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Kolmetz");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo(CONTACTS)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void pagesPastWhatPageNumbersReachAreReadWithTheNextPageToken() {
        // The zoho-crm-capped mapping is zoho-crm.yaml's, page numbers reaching 4 records rather than 2,000.
        String capped = oauthCredential(oauthConnector(tenant, "zoho-crm-capped", null, provider.baseUrl() + "/crm"),
                TOKEN, "refresh", Instant.now().plus(Duration.ofHours(1)));
        stubPage(null, 1);
        stubPage("2", 2);
        String token = JSON.readTree(stub("contacts-page-2.json")).path("info").path("next_page_token").asString();
        provider.stubFor(get(urlPathEqualTo(CONTACTS)).withQueryParam("fields", equalTo(FIELDS))
                .withQueryParam("per_page", equalTo("2")).withQueryParam("page", absent())
                .withQueryParam("page_token", equalTo(token))
                .willReturn(okJson(stub("contacts-page-3.json"))));

        var lastNames = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var response = universal(jwt(), capped, "GET", PEOPLE + (cursor == null ? "?limit=2" : "?cursor=" + cursor),
                    null);
            assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
            JsonNode page = json(response);
            page.path("items").forEach(person -> lastNames.add(person.path("lastName").asString()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
            assertThat(++pages).as("paging ends").isLessThan(5);
        } while (cursor != null);

        assertThat(lastNames).containsExactly("Beck", "Marrier", "Kitzman", "Chui", "Kolmetz");
        provider.verify(0, getRequestedFor(urlPathEqualTo(CONTACTS)).withQueryParam("page", equalTo("3")));
    }

    @Test
    void emailPhoneAndWordSearchOnTheSearchEndpoint() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/search")).withQueryParam("email", equalTo("theresa@zylker.com"))
                .withQueryParam("fields", equalTo(FIELDS)).withQueryParam("per_page", equalTo("25"))
                .willReturn(okJson(stub("contacts-page-3.json"))));
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/search")).withQueryParam("word", equalTo("Beck & Co"))
                .willReturn(aResponse().withStatus(204)));

        var byEmail = universal("GET", PEOPLE + "?email=theresa@zylker.com", null);
        var byWord = universal("GET", PEOPLE + "?q=" + URLEncoder.encode("Beck & Co", StandardCharsets.UTF_8), null);
        var both = universal("GET", PEOPLE + "?email=theresa@zylker.com&phone=555", null);
        var searchSince = universal("GET", PEOPLE + "?email=theresa@zylker.com&updatedSince=2026-01-31T00:00:00Z", null);

        assertThat(byEmail.statusCode()).as(text(byEmail)).isEqualTo(200);
        assertThat(json(byEmail).path("items")).hasSize(1);
        // Zoho answers 204 No Content when nothing matches.
        assertThat(byWord.statusCode()).as(text(byWord)).isEqualTo(200);
        assertThat(json(byWord).path("items")).isEmpty();
        assertThat(json(byWord).path("nextCursor").isNull()).isTrue();
        // The search takes one of them at a time; the engine says so rather than dropping one.
        assertThat(both.statusCode()).isEqualTo(501);
        assertThat(problemType(both)).isEqualTo("filter-not-supported");
        // If-Modified-Since is the list's, not the search's.
        assertThat(searchSince.statusCode()).isEqualTo(501);
        provider.verify(1, getRequestedFor(urlPathEqualTo(CONTACTS + "/search"))
                .withQueryParam("email", equalTo("theresa@zylker.com")));
    }

    @Test
    void updatedSinceIsTheIfModifiedSinceHeaderAndNotModifiedIsAnEmptyPage() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS)).withHeader("If-Modified-Since", equalTo("2026-01-31T00:00:00Z"))
                .willReturn(okJson(stub("contacts-page-3.json"))));
        provider.stubFor(get(urlPathEqualTo(CONTACTS)).withHeader("If-Modified-Since", equalTo("2026-06-01T00:00:00Z"))
                .willReturn(aResponse().withStatus(304)));

        var changed = universal("GET", PEOPLE + "?updatedSince="
                + URLEncoder.encode("2026-01-31T01:00:00+01:00", StandardCharsets.UTF_8), null);
        var unchanged = universal("GET", PEOPLE + "?updatedSince=2026-06-01T00:00:00Z", null);

        assertThat(changed.statusCode()).as(text(changed)).isEqualTo(200);
        assertThat(json(changed).path("items")).hasSize(1);
        assertThat(unchanged.statusCode()).as(text(unchanged)).isEqualTo(200);
        assertThat(json(unchanged).path("items")).isEmpty();
    }

    @Test
    void getsOneContactFromTheDataList() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/" + THERESA)).willReturn(okJson(stub("contact.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/" + THERESA + "?include=original", null));

        assertThat(person.path("lastName").asString()).isEqualTo("Beck");
        assertThat(person.path("original").path("Owner").path("name").asString()).isEqualTo("Patricia Boyle");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createPostsTheContactInDataThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("created.json"))));
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/" + THERESA)).willReturn(okJson(stub("contact.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Theresa", "lastName": "Beck",
                 "emails": [{"value": "theresa@zylker.com", "isPrimary": true}],
                 "phones": [{"value": "555-555-5555"}], "source": "Trade Show",
                 "assignedUserId": "3652397000000186017"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/" + THERESA);
        provider.verify(postRequestedFor(urlPathEqualTo(CONTACTS)).withRequestBody(equalToJson("""
                {"data": [{"First_Name": "Theresa", "Last_Name": "Beck", "Email": "theresa@zylker.com",
                           "Phone": "555-555-5555", "Lead_Source": "Trade Show",
                           "Owner": {"id": "3652397000000186017"}}]}""")));
    }

    @Test
    void updatePutsOnlyTheChangedFieldsThenReadsTheContactBack() {
        provider.stubFor(put(urlPathEqualTo(CONTACTS + "/" + THERESA)).willReturn(okJson(stub("updated.json"))));
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/" + THERESA)).willReturn(okJson(stub("contact.json"))));

        var response = universal("PATCH", PEOPLE + "/" + THERESA, """
                {"phones": [{"value": "555-555-0000"}]}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("id").asString()).isEqualTo(THERESA);
        provider.verify(putRequestedFor(urlPathEqualTo(CONTACTS + "/" + THERESA)).withRequestBody(equalToJson("""
                {"data": [{"Phone": "555-555-0000"}]}""")));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aValidationErrorIs422WithZohosMessage() {
        provider.stubFor(post(urlPathEqualTo(CONTACTS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", PEOPLE, "{\"firstName\": \"Theresa\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("detail").asString()).isEqualTo("required field not found");
    }

    @Test
    void aMissingContactIsNotFoundWhetherZohoAnswers404OrNothing() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/1")).willReturn(aResponse().withStatus(404)));
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/2")).willReturn(aResponse().withStatus(204)));

        assertThat(universal("GET", PEOPLE + "/1", null).statusCode()).isEqualTo(404);
        var empty = universal("GET", PEOPLE + "/2", null);
        assertThat(empty.statusCode()).isEqualTo(404);
        assertThat(problemType(empty)).isEqualTo("not-found");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429WithRetryAfter() {
        provider.stubFor(get(urlPathEqualTo(CONTACTS + "/3")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1")));

        var response = universal("GET", PEOPLE + "/3", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }

    // ------------------------------------------------------------------ helpers

    private void stubPage(@Nullable String page, int file) {
        provider.stubFor(get(urlPathEqualTo(CONTACTS)).withQueryParam("fields", equalTo(FIELDS))
                .withQueryParam("per_page", equalTo("2"))
                .withQueryParam("page", page == null ? absent() : equalTo(page))
                .willReturn(okJson(stub("contacts-page-" + file + ".json"))));
    }

    private static String stub(String file) {
        return stub("zoho-crm", file);
    }

}
