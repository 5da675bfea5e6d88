package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.PEOPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The same person, Mary Mcmillan, held by six CRMs and found by the same {@code GET /people?email=} through six
 * credentials: each CRM answers its e-mail search in its documented shape and date format (the stub files under
 * {@code universal/same-person/} name their pages), and the normalized people must agree wherever the CRMs can
 * hold the same thing.
 */
@PlugboardTest
class SixCrmsSamePersonIT extends UniversalCrmTestSupport {

    private static final String EMAIL = "mary@example.com";
    private static final String CREATED = "2024-01-17T19:55:04Z";
    private static final String UPDATED = "2024-09-11T13:27:39Z";
    private static final String OWNER = "910901";
    /** A Salesforce owner is a User record, whose Id is Salesforce's own 18-character kind, never a number. */
    private static final String SALESFORCE_OWNER = "005D0000001AbCdIAK";

    private static final String FUB = "Follow Up Boss";
    private static final String HUBSPOT = "HubSpot";
    private static final String PIPEDRIVE = "Pipedrive";
    private static final String SALESFORCE = "Salesforce";
    private static final String ZOHO = "Zoho CRM";
    private static final String LOFTY = "Lofty";

    /** The field each CRM's record holds its id in. */
    private static final Map<String, String> ID_FIELDS = Map.of(FUB, "id", HUBSPOT, "id", PIPEDRIVE, "id",
            SALESFORCE, "Id", ZOHO, "id", LOFTY, "leadId");

    /** Credential id by CRM, in a fixed order so failures name the CRMs the same way each run. */
    private final Map<String, String> credentials = new LinkedHashMap<>();

    @BeforeAll
    void connectSixCrms() {
        // One WireMock serves all six: their API paths do not overlap. Each stand-in's app key is mapped to the
        // CRM's real Universal CRM mapping by PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS.
        String base = provider.baseUrl();
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        credentials.put(FUB, apiKeyCredential(connector(FollowUpBossPeopleIT.standIn(base)), Map.of("apiKey", "fub-key")));
        credentials.put(HUBSPOT, oauthCredential(oauthConnector(tenant, "hubspot-standin", null, base),
                "hubspot-access", "refresh", inAnHour));
        credentials.put(PIPEDRIVE, oauthCredential(oauthConnector(tenant, "pipedrive-standin", null, base + "/api"),
                "pipedrive-access", "refresh", inAnHour));
        credentials.put(SALESFORCE, oauthCredential(oauthConnector(tenant, "salesforce-standin", null, base),
                "salesforce-access", "refresh", inAnHour));
        credentials.put(ZOHO, oauthCredential(oauthConnector(tenant, "zoho-standin", null, base + "/crm"),
                "zoho-access", "refresh", inAnHour));
        credentials.put(LOFTY, apiKeyCredential(connector(LoftyPeopleIT.standIn(base)), Map.of("apiKey", "lofty-key")));
    }

    @Test
    void theSameEmailFindsTheSamePersonInEveryCrm() {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).willReturn(okJson(stub("followupboss.json"))));
        provider.stubFor(post(urlPathEqualTo("/crm/v3/objects/contacts/search")).willReturn(okJson(stub("hubspot.json"))));
        provider.stubFor(get(urlPathEqualTo("/api/v2/persons/search")).willReturn(okJson(stub("pipedrive.json"))));
        provider.stubFor(get(urlPathEqualTo("/services/data/v62.0/query")).willReturn(okJson(stub("salesforce.json"))));
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Contacts/search")).willReturn(okJson(stub("zoho-crm.json"))));
        provider.stubFor(get(urlPathEqualTo("/v1.0/leads")).willReturn(okJson(stub("lofty.json"))));

        Map<String, JsonNode> people = new LinkedHashMap<>();
        credentials.forEach((crm, credential) -> people.put(crm, onlyPersonFound(crm, credential)));

        // What every one of the six maps, e-mail search results included: one value each, the same everywhere.
        assertThat(people).allSatisfy((crm, person) -> {
            assertThat(person.path("name").asString()).as(crm).isEqualTo("Mary Mcmillan");
            assertThat(values(person, "emails")).as(crm).containsExactly(EMAIL);
            assertThat(values(person, "phones")).as(crm).containsExactly("555-555-1234");
            // Ids differ by CRM: each is the CRM's own, also given back under the name the CRM gives its id.
            assertThat(person.path("id").asString()).as(crm).isNotBlank();
            assertThat(person.path("originalIds").propertyNames()).as(crm).containsExactly(ID_FIELDS.get(crm));
            assertThat(person.path("originalIds").path(ID_FIELDS.get(crm)).asString()).as(crm)
                    .isEqualTo(person.path("id").asString());
        });
        assertThat(people.values()).extracting(person -> person.path("id").asString()).doesNotHaveDuplicates();

        // Pipedrive's persons search answers a short item (id, name, e-mails, phones, owner): no first or last name
        // and no times, so those are compared among the other five. Lofty's lead has no update time.
        assertSame(people, "firstName", "Mary", except(PIPEDRIVE));
        assertSame(people, "lastName", "Mcmillan", except(PIPEDRIVE));
        // Nor does it say which e-mail or phone is the primary one; the other five hold it or mark their only one.
        assertThat(except(PIPEDRIVE)).allSatisfy(crm -> {
            assertThat(people.get(crm).path("emails").get(0).path("isPrimary").asBoolean()).as(crm).isTrue();
            assertThat(people.get(crm).path("phones").get(0).path("isPrimary").asBoolean()).as(crm).isTrue();
        });
        // Written as ISO-8601 UTC (Follow Up Boss, Lofty), with milliseconds (HubSpot), as +0000 (Salesforce) and
        // with the user's offset (Zoho CRM): all the same instant once normalized.
        assertSame(people, "createdAt", CREATED, except(PIPEDRIVE));
        assertSame(people, "updatedAt", UPDATED, except(PIPEDRIVE, LOFTY));
        assertSame(people, "assignedUserId", OWNER, except(SALESFORCE));
        assertThat(people.get(SALESFORCE).path("assignedUserId").asString()).isEqualTo(SALESFORCE_OWNER);
        // Not compared: e-mail and phone types (most of the six have none), tags (only Follow Up Boss and Lofty
        // hold them), stage (three of the six), addresses (only Follow Up Boss and HubSpot map one) and source
        // (each CRM's own vocabulary, and HubSpot's is set by HubSpot).

        // Each CRM was asked its own documented e-mail search, with its own credential.
        provider.verify(getRequestedFor(urlPathEqualTo("/v1/people"))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString("fub-key:".getBytes(
                        StandardCharsets.UTF_8))))
                .withQueryParam("email", equalTo(EMAIL)));
        provider.verify(postRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/search"))
                .withHeader("Authorization", equalTo("Bearer hubspot-access"))
                .withRequestBody(equalToJson("""
                        {"filterGroups": [{"filters": [
                          {"propertyName": "email", "operator": "EQ", "value": "mary@example.com"}]}]}""",
                        false, true)));
        provider.verify(getRequestedFor(urlPathEqualTo("/api/v2/persons/search"))
                .withHeader("Authorization", equalTo("Bearer pipedrive-access"))
                .withQueryParam("term", equalTo(EMAIL)).withQueryParam("fields", equalTo("email"))
                .withQueryParam("exact_match", equalTo("true")));
        provider.verify(getRequestedFor(urlPathEqualTo("/services/data/v62.0/query"))
                .withHeader("Authorization", equalTo("Bearer salesforce-access"))
                .withQueryParam("q", equalTo("SELECT Id, FirstName, LastName, Name, Email, Phone, LeadSource, OwnerId,"
                        + " CreatedDate, LastModifiedDate FROM Contact WHERE Email = 'mary@example.com'"
                        + " ORDER BY Id LIMIT 25")));
        provider.verify(getRequestedFor(urlPathEqualTo("/crm/v8/Contacts/search"))
                .withHeader("Authorization", equalTo("Bearer zoho-access"))
                .withQueryParam("email", equalTo(EMAIL)));
        provider.verify(getRequestedFor(urlPathEqualTo("/v1.0/leads"))
                .withHeader("Authorization", equalTo("token lofty-key"))
                .withQueryParam("email", equalTo(EMAIL)));
    }

    private JsonNode onlyPersonFound(String crm, String credential) {
        var response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PEOPLE + "?email=" + EMAIL))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + jwt())
                .header("X-Credential-Id", credential)
                .GET().build());
        assertThat(response.statusCode()).as(crm + ": " + text(response)).isEqualTo(200);
        JsonNode items = json(response).path("items");
        assertThat(items).as(crm).hasSize(1);
        return items.get(0);
    }

    private static void assertSame(Map<String, JsonNode> people, String field, String expected, List<String> holders) {
        Function<String, String> value = crm -> people.get(crm).path(field).asString();
        assertThat(holders).as(field).allSatisfy(crm -> assertThat(value.apply(crm)).as(crm + " " + field)
                .isEqualTo(expected));
    }

    /** The CRMs holding a field: all six but those that cannot. */
    private List<String> except(String... without) {
        List<String> holders = new ArrayList<>(credentials.keySet());
        holders.removeAll(List.of(without));
        return holders;
    }

    private static List<String> values(JsonNode person, String list) {
        List<String> values = new ArrayList<>();
        person.path(list).forEach(entry -> values.add(entry.path("value").asString()));
        return values;
    }

    private static String stub(String file) {
        return stub("same-person", file);
    }
}
