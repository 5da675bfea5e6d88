package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.universal.FollowUpBossPeopleIT.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on Pipedrive, stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/pipedrive/} names its pages): notes on API v1 paged by
 * {@code start} from {@code next_start}, with times that carry no offset; tasks as API v2 activities paged by
 * {@code cursor}, the person written as the primary participant and the due day and time held apart; all users in
 * one answer; and the error mappings.
 */
@PlugboardTest
class PipedriveModelsIT extends ProxyTestSupport {

    private static final String CRM = "/api/v1/universal/crm";
    private static final String NOTES = "/api/v1/notes";
    private static final String ACTIVITIES = "/api/v2/activities";
    private static final String USERS = "/api/v1/users";

    private String credentialId;

    @BeforeAll
    void connectPipedrive() {
        // The built-in connector's base (…/api) and bearer auth, at WireMock; PlugboardTest's
        // plugboard.universal.connector-mappings maps pipedrive-standin to the pipedrive mapping.
        String appKey = oauthConnector(tenant, "pipedrive-standin", null, provider.baseUrl() + "/api");
        credentialId = oauthCredential(appKey, "pipedrive-access", "pipedrive-refresh",
                Instant.now().plus(1, ChronoUnit.HOURS));
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsEveryUserFromOneAnswer() {
        provider.stubFor(get(urlPathEqualTo(USERS)).willReturn(okJson(stub("users.json"))));

        JsonNode page = json(universal("GET", CRM + "/users?limit=1", null));

        assertThat(page.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Jane Agent", "Owen Seller");
        JsonNode jane = page.path("items").get(0);
        assertThat(jane.path("id").asString()).isEqualTo("7");
        assertThat(jane.path("email").asString()).isEqualTo("jane@example.com");
        assertThat(jane.path("active").asBoolean()).isTrue();
        assertThat(jane.path("role").isNull()).isTrue();
        assertThat(page.path("items").get(1).path("active").asBoolean(true)).isFalse();
        assertThat(page.path("nextCursor").isNull()).isTrue();
        // GET /v1/users takes no paging parameters: none are sent.
        provider.verify(getRequestedFor(urlPathEqualTo(USERS)).withQueryParam("limit", absent())
                .withQueryParam("start", absent()));
    }

    // ------------------------------------------------------------------ helpers

    private static String stub(String file) {
        return FollowUpBossPeopleIT.stub("pipedrive", file);
    }

    private HttpResponse<byte[]> universal(String method, String path, @Nullable String json) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + jwt())
                .header("X-Credential-Id", credentialId)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.build());
    }
}
