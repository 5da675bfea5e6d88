package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.PEOPLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People through the Universal CRM API on the demo's Sandbox CRM (offset paging, one e-mail and phone per
 * contact, PATCH), its API stood in for by WireMock answering as the sandbox does (see the stub files and
 * {@code SandboxContactsApiTest}); and what a CRM whose mapping lacks an operation or a filter answers.
 */
@PlugboardTest
class SandboxPeopleIT extends UniversalCrmTestSupport {

    private String listOnlyCredential;

    @BeforeAll
    void connectSandbox() {
        // The demo's custom connector key, in this tenant: its mapping is connectors/universal/sandbox-crm.yaml.
        String appKey = oauthConnector(tenant, "sandbox-crm", null, provider.baseUrl() + "/sandbox/api");
        credentialId = oauthCredential(appKey, "sandbox-access", "sandbox-refresh", Instant.now().plus(Duration.ofHours(1)));
        String listOnly = oauthConnector(tenant, "listonly-crm", null, provider.baseUrl() + "/lo");
        listOnlyCredential = oauthCredential(listOnly, "lo-access", "lo-refresh", Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void listsContactsAPageAtATimeByOffset() {
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/contacts")).withQueryParam("limit", equalTo("2"))
                .withQueryParam("offset", absent()).willReturn(okJson(stub("sandbox-crm", "contacts-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/contacts")).withQueryParam("limit", equalTo("2"))
                .withQueryParam("offset", equalTo("2")).willReturn(okJson(stub("sandbox-crm", "contacts-page-2.json"))));

        JsonNode first = json(universal(jwt(), credentialId, "GET", PEOPLE + "?limit=2", null));
        JsonNode ada = first.path("items").get(0);
        assertThat(ada.path("id").asString()).isEqualTo("c_sample_1");
        assertThat(ada.path("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(ada.path("firstName").isNull()).isTrue();
        assertThat(ada.path("emails").get(0).path("value").asString()).isEqualTo("ada@analytical.example");
        assertThat(ada.path("emails").get(0).path("isPrimary").asBoolean()).isTrue();
        assertThat(ada.path("phones").get(0).path("value").asString()).isEqualTo("+44 20 7946 0001");
        assertThat(ada.path("createdAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(ada.path("tags")).isEmpty();

        JsonNode second = json(universal(jwt(), credentialId, "GET", PEOPLE + "?cursor=" + first.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("c_sample_3");
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createJoinsTheNameAndSendsThePrimaryEmailAndPhone() {
        provider.stubFor(post(urlPathEqualTo("/sandbox/api/contacts")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "contact.json"))));

        var response = universal(jwt(), credentialId, "POST", PEOPLE, """
                {"firstName": "Ada", "lastName": "Lovelace",
                 "emails": [{"value": "old@analytical.example"}, {"value": "ada@analytical.example", "isPrimary": true}],
                 "phones": [{"value": "+44 20 7946 0001", "type": "work"}]}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        provider.verify(postRequestedFor(urlPathEqualTo("/sandbox/api/contacts")).withRequestBody(equalToJson("""
                {"name": "Ada Lovelace", "email": "ada@analytical.example", "phone": "+44 20 7946 0001"}""")));
    }

    @Test
    void updatePatchesOnlyWhatChanged() {
        provider.stubFor(patch(urlPathEqualTo("/sandbox/api/contacts/c_sample_1"))
                .willReturn(okJson(stub("sandbox-crm", "contact.json"))));

        var response = universal(jwt(), credentialId, "PATCH", PEOPLE + "/c_sample_1", """
                {"emails": [{"value": "ada@engines.example"}]}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(patchRequestedFor(urlPathEqualTo("/sandbox/api/contacts/c_sample_1"))
                .withRequestBody(equalToJson("{\"email\": \"ada@engines.example\"}")));
    }

    @Test
    void theSandboxsRefusalIs422WithItsMessage() {
        provider.stubFor(patch(urlPathEqualTo("/sandbox/api/contacts/c_sample_1")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "error-400.json"))));

        var response = universal(jwt(), credentialId, "PATCH", PEOPLE + "/c_sample_1", "{\"emails\": [{\"value\": \"nope\"}]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("detail").asString()).isEqualTo("email is not an e-mail address.");
    }

    @Test
    void aFilterTheCrmCannotApplyIs501() {
        var response = universal(jwt(), credentialId, "GET", PEOPLE + "?phone=555", null);

        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(problemType(response)).isEqualTo("filter-not-supported");
        assertThat(json(response).path("detail").asString()).contains("sandbox-crm", "phone");
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void anOperationTheCrmCannotDoIs501NamingConnectorAndOperation() {
        var response = universal(jwt(), listOnlyCredential, "GET", PEOPLE + "/1", null);

        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(problemType(response)).isEqualTo("operation-not-supported");
        assertThat(json(response).path("detail").asString()).contains("listonly-crm", "get a person");
    }

    @Test
    void nextLinksAreFollowedOnlyIntoTheCrmsOwnApi() {
        String base = provider.baseUrl() + "/lo";
        provider.stubFor(get(urlPathEqualTo("/lo/contacts")).withQueryParam("page", absent()).willReturn(okJson("""
                {"contacts": [{"id": "1", "name": "One"}], "links": {"next": "%s/contacts?page=2&limit=1"}}"""
                .formatted(base))));
        provider.stubFor(get(urlPathEqualTo("/lo/contacts")).withQueryParam("page", equalTo("2")).willReturn(okJson("""
                {"contacts": [{"id": "2", "name": "Two"}], "links": {"next": "https://elsewhere.example/steal"}}""")));

        JsonNode first = json(universal(jwt(), listOnlyCredential, "GET", PEOPLE + "?limit=1", null));
        var second = universal(jwt(), listOnlyCredential, "GET", PEOPLE + "?cursor=" + first.path("nextCursor").asString(), null);

        assertThat(first.path("items").get(0).path("name").asString()).isEqualTo("One");
        assertThat(second.statusCode()).isEqualTo(502);
        assertThat(json(second).path("detail").asString()).contains("outside its API");
    }

}
