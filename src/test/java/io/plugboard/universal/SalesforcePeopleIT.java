package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on Salesforce contacts, its REST API stood in for by WireMock answering
 * what the documentation shows (each stub file under {@code universal/salesforce/} names its pages): SOQL pages
 * continued after the last Id, filters as escaped SOQL clauses (an injection attempt stays a literal), get,
 * create and update with the record read back, and each way an answer becomes an error.
 */
@PlugboardTest
class SalesforcePeopleIT extends UniversalCrmTestSupport {

    private static final String API = "/services/data/v62.0";
    private static final String SELECT = "SELECT Id, FirstName, LastName, Name, Email, Phone, LeadSource, OwnerId,"
            + " CreatedDate, LastModifiedDate FROM Contact";
    private static final String TOKEN = "00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog";

    @BeforeAll
    void connectSalesforce() {
        // The built-in connector's API origin is the token's instance_url; the stand-in's is WireMock.
        String appKey = oauthConnector(tenant, "salesforce-standin", null, provider.baseUrl());
        credentialId = oauthCredential(appKey, TOKEN, "refresh", Instant.now().plus(Duration.ofHours(2)));
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsEveryPageAfterTheLastIdThenStops() {
        stubQuery(SELECT + " ORDER BY Id LIMIT 2", "query-page-1.json");
        stubQuery(SELECT + " WHERE Id > '003D000000QV9n2IAD' ORDER BY Id LIMIT 2", "query-page-2.json");
        stubQuery(SELECT + " WHERE Id > '003D000000QV9n4IAD' ORDER BY Id LIMIT 2", "query-page-3.json");

        var first = universal("GET", PEOPLE + "?limit=2", null);
        assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
        JsonNode page = json(first);
        JsonNode marc = page.path("items").get(0);
        assertThat(marc.path("id").asString()).isEqualTo("003D000000QV9n1IAD");
        assertThat(marc.path("firstName").asString()).isEqualTo("Marc");
        assertThat(marc.path("lastName").asString()).isEqualTo("Benioff");
        assertThat(marc.path("name").asString()).isEqualTo("Marc Benioff");
        assertThat(marc.path("emails").get(0).path("value").asString()).isEqualTo("marc@example.com");
        assertThat(marc.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(marc.path("phones").get(0).path("value").asString()).isEqualTo("(415) 555-0101");
        assertThat(marc.path("source").asString()).isEqualTo("Web");
        assertThat(marc.path("assignedUserId").asString()).isEqualTo("005D0000001AbCdIAK");
        // Salesforce writes +0000; the model speaks ISO-8601 UTC.
        assertThat(marc.path("createdAt").asString()).isEqualTo("2024-01-15T09:30:00Z");
        assertThat(marc.path("updatedAt").asString()).isEqualTo("2024-02-01T17:05:12Z");
        assertThat(marc.path("originalIds").path("Id").asString()).isEqualTo("003D000000QV9n1IAD");

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("lastName").asString())
                .containsExactly("Moellenhoff", "Dominguez");
        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Franklin");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo(API + "/query"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aBatchSalesforceEndsEarlyIsContinuedAfterItsLastId() {
        stubQuery(SELECT + " ORDER BY Id LIMIT 3", "query-cut-short.json");
        stubQuery(SELECT + " WHERE Id > '003D000000QV9n2IAD' ORDER BY Id LIMIT 3", "query-page-3.json");

        JsonNode first = json(universal("GET", PEOPLE + "?limit=3", null));
        assertThat(first.path("items")).hasSize(2);
        JsonNode rest = json(universal("GET", PEOPLE + "?cursor=" + first.path("nextCursor").asString(), null));

        assertThat(rest.path("items")).extracting(n -> n.path("lastName").asString()).containsExactly("Franklin");
        assertThat(rest.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void filtersBecomeEscapedSoqlClauses() {
        stubQuery(SELECT + " WHERE LastModifiedDate >= 2026-01-31T00:00:00Z AND Email = 'marc@example.com'"
                + " AND Phone = '(415) 555-0101' AND Name LIKE '%Ben\\_off 100\\%%' ORDER BY Id LIMIT 25",
                "query-page-3.json");

        var response = universal("GET", PEOPLE + "?email=marc@example.com&phone="
                + URLEncoder.encode("(415) 555-0101", StandardCharsets.UTF_8) + "&q="
                + URLEncoder.encode("Ben_off 100%", StandardCharsets.UTF_8) + "&updatedSince="
                + URLEncoder.encode("2026-01-31T01:00:00+01:00", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).hasSize(1);
    }

    @Test
    void aFilterCannotInjectSoql() {
        // Quotes and backslashes end up escaped inside the literal: the WHERE clause still compares one field.
        stubQuery(SELECT + " WHERE Email = 'x\\' OR Name != \\'' AND Name LIKE '%\\\\\\'%' ORDER BY Id LIMIT 25",
                "query-page-3.json");

        var response = universal("GET", PEOPLE + "?email=" + URLEncoder.encode("x' OR Name != '", StandardCharsets.UTF_8)
                + "&q=" + URLEncoder.encode("\\'", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(1, getRequestedFor(urlPathEqualTo(API + "/query")));
    }

    @Test
    void getsOneContactWithTheUntouchedRecordWhenAsked() {
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n1IAD"))
                .willReturn(okJson(stub("contact.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/003D000000QV9n1IAD?include=original", null));

        assertThat(person.path("name").asString()).isEqualTo("Marc Benioff");
        assertThat(person.path("original").path("attributes").path("type").asString()).isEqualTo("Contact");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createPostsTheContactThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Contact")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("created.json"))));
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n1IAD"))
                .willReturn(okJson(stub("contact.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Marc", "lastName": "Benioff",
                 "emails": [{"value": "marc@example.com", "type": "work", "isPrimary": true}],
                 "phones": [{"value": "(415) 555-0101", "type": "work", "isPrimary": true}],
                 "tags": ["ignored"], "source": "Web", "assignedUserId": "005D0000001AbCdIAK"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/003D000000QV9n1IAD");
        assertThat(json(response).path("createdAt").asString()).isEqualTo("2024-01-15T09:30:00Z");
        provider.verify(postRequestedFor(urlPathEqualTo(API + "/sobjects/Contact"))
                .withRequestBody(equalToJson("""
                        {"FirstName": "Marc", "LastName": "Benioff", "Email": "marc@example.com",
                         "Phone": "(415) 555-0101", "LeadSource": "Web", "OwnerId": "005D0000001AbCdIAK"}""")));
    }

    @Test
    void updatePatchesOnlyTheChangedFieldsThenReadsTheContactBack() {
        provider.stubFor(patch(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n1IAD"))
                .willReturn(aResponse().withStatus(204)));
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n1IAD"))
                .willReturn(okJson(stub("contact.json"))));

        var response = universal("PATCH", PEOPLE + "/003D000000QV9n1IAD", """
                {"lastName": "Benioff", "emails": [{"value": "marc@example.com"}]}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("id").asString()).isEqualTo("003D000000QV9n1IAD");
        provider.verify(patchRequestedFor(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n1IAD"))
                .withRequestBody(equalToJson("""
                        {"LastName": "Benioff", "Email": "marc@example.com"}""")));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aValidationErrorIs422WithSalesforcesMessage() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Contact")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", PEOPLE, "{\"firstName\": \"Marc\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("Required fields are missing: [LastName]");
    }

    @Test
    void aMissingContactIsNotFound() {
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Contact/003000000000000AAA")).willReturn(
                aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody(stub("error-404.json"))));

        var response = universal("GET", PEOPLE + "/003000000000000AAA", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("detail").asString()).contains("The requested resource does not exist");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429WithRetryAfter() {
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Contact/003D000000QV9n9IAD")).willReturn(
                aResponse().withStatus(429).withHeader("Retry-After", "1")));

        var response = universal("GET", PEOPLE + "/003D000000QV9n9IAD", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problemType(response)).isEqualTo("rate-limited");
    }

    // ------------------------------------------------------------------ helpers

    private void stubQuery(String soql, String file) {
        provider.stubFor(get(urlPathEqualTo(API + "/query")).withQueryParam("q", equalTo(soql))
                .willReturn(okJson(stub(file))));
    }

    private static String stub(String file) {
        return stub("salesforce", file);
    }

}
