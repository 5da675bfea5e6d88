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
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on Follow Up Boss, its API stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/followupboss/} names its pages): paging by the
 * {@code next} token, filters, get, create and update round-trips with the exact request bodies, and each way
 * an answer becomes an error.
 */
@PlugboardTest
class FollowUpBossPeopleIT extends UniversalCrmTestSupport {

    static final String PEOPLE = "/api/v1/universal/crm/people";
    private static final String API_KEY = "fub-api-key";

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = connector(standIn(provider.baseUrl()));
        credentialId = apiKeyCredential(appKey, Map.of("apiKey", API_KEY));
    }

    /** The built-in connector's API and auth, at WireMock (PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS maps it). */
    static String standIn(String baseUrl) {
        return """
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
                """.formatted(baseUrl);
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsEveryPageByTheNextTokenThenStops() {
        stubPage(null, 1);
        stubPage("eyJzaW5jZUlkIjoxMDV9", 2);
        stubPage("eyJzaW5jZUlkIjoxMDN9", 3);

        var first = universal("GET", PEOPLE + "?limit=2", null);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode page = json(first);
        assertThat(page.path("items")).hasSize(2);
        JsonNode mary = page.path("items").get(0);
        assertThat(mary.path("id").asString()).isEqualTo("950");
        assertThat(mary.path("firstName").asString()).isEqualTo("Mary");
        assertThat(mary.path("lastName").asString()).isEqualTo("Mcmillan");
        assertThat(mary.path("name").asString()).isEqualTo("Mary Mcmillan");
        assertThat(mary.path("emails").get(0).path("value").asString()).isEqualTo("mary@example.com");
        assertThat(mary.path("emails").get(0).path("type").asString()).isEqualTo("home");
        assertThat(mary.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(mary.path("phones").get(0).path("type").asString()).isEqualTo("mobile");
        assertThat(mary.path("addresses").get(0).path("postalCode").asString()).isEqualTo("85251");
        assertThat(mary.path("addresses").get(0).path("city").asString()).isEqualTo("Scottsdale");
        assertThat(mary.path("tags").get(0).asString()).isEqualTo("Buyer");
        assertThat(mary.path("stage").asString()).isEqualTo("Lead");
        assertThat(mary.path("source").asString()).isEqualTo("Zillow");
        assertThat(mary.path("assignedUserId").asString()).isEqualTo("7");
        assertThat(mary.path("createdAt").asString()).isEqualTo("2012-04-23T02:23:11Z");
        assertThat(mary.path("updatedAt").asString()).isEqualTo("2012-04-24T10:00:00Z");
        assertThat(mary.path("originalIds").path("id").asString()).isEqualTo("950");
        assertThat(mary.path("original").isMissingNode() || mary.path("original").isNull()).isTrue();
        String cursor = page.path("nextCursor").asString();
        assertThat(cursor).isNotBlank().doesNotContain("eyJzaW5jZUlkIjoxMDV9");

        JsonNode second = json(universal("GET", PEOPLE + "?cursor=" + cursor, null));
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("948", "947");
        // The same cursor gives the same page again: it holds the provider's state, not a position here.
        JsonNode again = json(universal("GET", PEOPLE + "?cursor=" + cursor, null));
        assertThat(again.path("items")).extracting(n -> n.path("id").asString()).containsExactly("948", "947");

        JsonNode third = json(universal("GET", PEOPLE + "?cursor=" + second.path("nextCursor").asString(), null));
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("946");
        assertThat(third.path("nextCursor").isNull()).isTrue();

        provider.verify(getRequestedFor(urlPathEqualTo("/v1/people"))
                .withHeader("Authorization", equalTo(basic(API_KEY))));
        callLog.flush();
        var logged = jdbc.queryForList("SELECT path FROM proxy_calls WHERE credential_id = ? AND source = 'UNIVERSAL'"
                + " AND path LIKE '/people?%' AND status = 200", String.class, credentialId);
        assertThat(logged).contains("/people?sort=&limit=", "/people?sort=&limit=&next=");
    }

    @Test
    void filtersBecomeTheSearchParametersFollowUpBossDocuments() {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("email", equalTo("mary@example.com"))
                .withQueryParam("phone", equalTo("555-555-1234")).withQueryParam("name", equalTo("Mary"))
                .withQueryParam("updatedAfter", equalTo("2026-01-31T00:00:00Z"))
                .willReturn(okJson(stub("people-page-3.json"))));

        var response = universal("GET", PEOPLE + "?email=mary@example.com&phone=555-555-1234&q=Mary&updatedSince="
                + URLEncoder.encode("2026-01-31T01:00:00+01:00", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).hasSize(1);
    }

    @Test
    void getsOnePersonWithTheUntouchedRecordWhenAsked() {
        provider.stubFor(get(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));

        JsonNode person = json(universal("GET", PEOPLE + "/123?include=original", null));

        assertThat(person.path("id").asString()).isEqualTo("123");
        assertThat(person.path("original").path("id").asInt()).isEqualTo(123);
        assertThat(person.path("original").path("addresses").get(0).path("code").asString()).isEqualTo("85251");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createSendsThePersonAsFollowUpBossDocumentsIt() {
        provider.stubFor(post(urlPathEqualTo("/v1/people")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("person.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Mary", "lastName": "Mcmillan",
                 "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": true}],
                 "phones": [{"value": "555-555-1234", "type": "mobile", "isPrimary": true}],
                 "addresses": [{"type": "home", "street": "1 Main St", "city": "Scottsdale", "state": "AZ",
                                "postalCode": "85251", "country": "United States"}],
                 "tags": ["Buyer"], "stage": "Lead", "source": "Zillow", "assignedUserId": "7"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(PEOPLE + "/123");
        assertThat(json(response).path("name").asString()).isEqualTo("Mary Mcmillan");
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/people"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"firstName": "Mary", "lastName": "Mcmillan",
                         "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": true}],
                         "phones": [{"value": "555-555-1234", "type": "mobile", "isPrimary": true}],
                         "addresses": [{"type": "home", "street": "1 Main St", "city": "Scottsdale", "state": "AZ",
                                        "code": "85251", "country": "United States"}],
                         "tags": ["Buyer"], "stage": "Lead", "source": "Zillow", "assignedUserId": 7}""")));
    }

    @Test
    void updateSendsOnlyTheChangedFieldsWithPut() {
        provider.stubFor(put(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));

        var response = universal("PATCH", PEOPLE + "/123", """
                {"firstName": "Mary", "stage": "Active Client", "source": "Website"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        // The page of requests-and-responses shows a PUT with only the field to change; source is set only on creation.
        provider.verify(putRequestedFor(urlPathEqualTo("/v1/people/123"))
                .withRequestBody(equalToJson("""
                        {"firstName": "Mary", "stage": "Active Client"}""")));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aMissingPersonIsNotFound() {
        provider.stubFor(get(urlPathEqualTo("/v1/people/999")).willReturn(aResponse().withStatus(404)));

        var response = universal("GET", PEOPLE + "/999", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("not-found");
    }

    @Test
    void aValidationErrorIs422WithTheProvidersMessage() {
        provider.stubFor(post(urlPathEqualTo("/v1/people")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", PEOPLE, """
                {"firstName": "Mary", "emails": [{"value": "not-an-email"}]}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("Invalid email address: not-an-email");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429WithRetryAfter() {
        // The rate-limiting page: 429 with Retry-After in seconds. The proxy waits and retries twice, then gives up.
        provider.stubFor(get(urlPathEqualTo("/v1/people/5")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1").withHeader("X-RateLimit-Context", "global")));

        var response = universal("GET", PEOPLE + "/5", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problemType(response)).isEqualTo("rate-limited");
        provider.verify(3, getRequestedFor(urlPathEqualTo("/v1/people/5")));
    }

    @Test
    void forbiddenAndFailingAnswersAreTheirOwnProblems() {
        provider.stubFor(get(urlPathEqualTo("/v1/people/6")).willReturn(aResponse().withStatus(403)));
        provider.stubFor(post(urlPathEqualTo("/v1/people")).willReturn(aResponse().withStatus(503)));

        assertThat(universal("GET", PEOPLE + "/6", null).statusCode()).isEqualTo(403);
        var failed = universal("POST", PEOPLE, "{\"firstName\": \"Mary\"}");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(problemType(failed)).isEqualTo("provider-error");
    }

    @Test
    void aForgedOrBorrowedCursorIsRefused() {
        stubPage(null, 1);
        String cursor = json(universal("GET", PEOPLE + "?limit=2", null)).path("nextCursor").asString();
        String payload = cursor.substring(0, cursor.indexOf('.'));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
                .replace("eyJzaW5jZUlkIjoxMDV9", "x").getBytes(StandardCharsets.UTF_8)) + cursor.substring(cursor.indexOf('.'));
        String otherCredential = apiKeyCredential(appKey, Map.of("apiKey", "another-key"));

        var tampered = universal("GET", PEOPLE + "?cursor=" + forged, null);
        var borrowed = universal(jwt(), otherCredential, "GET", PEOPLE + "?cursor=" + cursor, null);
        var otherQuery = universal("GET", PEOPLE + "?email=x@example.com&cursor=" + cursor, null);

        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(problemType(tampered)).isEqualTo("invalid-cursor");
        assertThat(borrowed.statusCode()).isEqualTo(400);
        assertThat(otherQuery.statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ who may

    @Test
    void anotherTenantCannotUseTheCredential() {
        var other = TestTenants.create(context, "univother");
        provider.stubFor(get(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));

        var response = universal(jwt(other, "tenant"), credentialId, "GET", PEOPLE + "/123", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("credential-not-found");
        provider.verify(0, getRequestedFor(urlPathEqualTo("/v1/people/123")));
    }

    @Test
    void anEndUsersTokenReachesOnlyThatEndUsersCredentials() {
        String alices = credential(tenant, appKey, "alice", Map.of("apiKey", "alice-key"), null);
        provider.stubFor(get(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));

        var asBob = universal(jwt(tenant, "bob"), alices, "GET", PEOPLE + "/123", null);
        var asAlice = universal(jwt(tenant, "alice"), alices, "GET", PEOPLE + "/123", null);

        assertThat(asBob.statusCode()).isEqualTo(404);
        assertThat(asAlice.statusCode()).isEqualTo(200);
        provider.verify(1, getRequestedFor(urlPathEqualTo("/v1/people/123"))
                .withHeader("Authorization", equalTo(basic("alice-key"))));
    }

    @Test
    void aCredentialOfNoCrmIsRefusedSayingSo() {
        String plain = apiKeyConnectorAt("univplain", provider.baseUrl());
        String plainCredential = apiKeyCredential(plain, Map.of("apiKey", "k"));

        var response = universal(jwt(), plainCredential, "GET", PEOPLE, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("not-a-crm");
        assertThat(json(response).path("detail").asString()).contains("univplain");
    }

    @Test
    void badInputIsABadRequest() {
        assertThat(universal("GET", PEOPLE + "?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(universal("GET", PEOPLE + "?limit=many", null).statusCode()).isEqualTo(400);
        assertThat(universal("GET", PEOPLE + "?updatedSince=yesterday", null).statusCode()).isEqualTo(400);
        assertThat(universal("GET", PEOPLE + "?include=everything", null).statusCode()).isEqualTo(400);
        assertThat(universal("POST", PEOPLE, "{}").statusCode()).isEqualTo(400);
        assertThat(universal("POST", PEOPLE, "{\"firstName\": ").statusCode()).isEqualTo(400);
        assertThat(universal("PATCH", PEOPLE + "/123", "{}").statusCode()).isEqualTo(400);
        var noCredential = universal(jwt(), null, "GET", PEOPLE, null);
        assertThat(noCredential.statusCode()).isEqualTo(400);
        assertThat(problemType(noCredential)).isEqualTo("missing-credential");
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private void stubPage(@Nullable String next, int page) {
        var stub = get(urlPathEqualTo("/v1/people")).withQueryParam("sort", equalTo("created"))
                .withQueryParam("limit", equalTo("2"))
                .withQueryParam("next", next == null ? absent() : equalTo(next));
        provider.stubFor(stub.willReturn(okJson(stub("people-page-" + page + ".json"))));
    }

    /** The documented answer in a stub file (its {@code _source} names the pages it comes from). */
    static String stub(String file) {
        return stub("followupboss", file);
    }

    private static String basic(String apiKey) {
        return "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
    }

}
