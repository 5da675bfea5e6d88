package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What the sync tests share: a Follow Up Boss stand-in (WireMock answering what its documentation shows, see
 * {@code universal/followupboss/}), credentials synced through the API, and the worker driven step by step.
 */
abstract class SyncTestSupport extends ProxyTestSupport {

    static final String PAGE_2 = "eyJzaW5jZUlkIjoxMDV9";
    static final String PAGE_3 = "eyJzaW5jZUlkIjoxMDN9";

    @Autowired
    SyncWorker worker;
    @Autowired
    SyncRunner runner;
    @Autowired
    SyncStates states;
    @Autowired
    SyncService sync;

    /** A test's syncs end with it, leases included, so the next test's runs and limits are its own. */
    @AfterEach
    void stopSyncs() {
        jdbc.update("UPDATE sync_states SET enabled = false, lease_owner = NULL, lease_until = NULL "
                + "WHERE tenant_id = ?", tenant.id());
    }

    /** The stand-in connector for {@code who}, at this class's WireMock: {@code fub-standin} is the appKey the tests map. */
    String followUpBoss(TestTenant who) {
        return connector(who, """
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
                """.formatted(provider.baseUrl()));
    }

    /** A new credential of {@code who} whose sync of {@code models} is turned on as its admin. */
    String synced(TestTenant who, String appKey, String... models) {
        String credential = credential(who, appKey, "user-" + System.nanoTime(), Map.of("apiKey", "fub-api-key"), null);
        asAdmin(who, () -> sync.configure(who.id(), credential, new SyncSettings(List.of(models), null)));
        return credential;
    }

    /** Runs whatever is due until nothing is, releasing at once what belongs to other tests' tenants. */
    int runDue() {
        int runs = 0;
        for (var claimed = ours(worker.claim(4)); !claimed.isEmpty(); claimed = ours(worker.claim(4))) {
            claimed.forEach(runner::run);
            runs += claimed.size();
        }
        return runs;
    }

    /** The claims of this class's tenant; others' are handed back due, as they were. */
    List<SyncStates.Claim> ours(List<SyncStates.Claim> claims) {
        return mine(claims, List.of(tenant));
    }

    List<SyncStates.Claim> mine(List<SyncStates.Claim> claims, List<TestTenant> tenants) {
        var ids = tenants.stream().map(TestTenant::id).toList();
        claims.stream().filter(c -> !ids.contains(c.tenantId())).forEach(states::release);
        return claims.stream().filter(c -> ids.contains(c.tenantId())).toList();
    }

    JsonNode status(String credential) {
        return json(api("GET", credential, "", null));
    }

    HttpResponse<byte[]> api(String method, String credential, String action, @Nullable String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/"
                        + credential + "/sync" + action))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + jwt())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.build());
    }

    long rows(String table, String credential) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE credential_id = ?", Long.class,
                credential);
    }

    List<ServeEvent> peopleRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().startsWith("/v1/people")).toList();
    }

    /** The three documented pages of people, five in all. */
    void stubPeoplePages() {
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
    }

    void stubPeople(@Nullable String next, int page, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("updatedAfter", absent())
                .withQueryParam("next", next == null ? absent() : equalTo(next))
                .willReturn(answer).atPriority(page));
    }

    static ResponseDefinitionBuilder ok(String file) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(stub(file));
    }

    static ResponseDefinitionBuilder failing() {
        return aResponse().withStatus(500);
    }

    private static String stub(String file) {
        try (InputStream in = SyncTestSupport.class.getResourceAsStream("/universal/followupboss/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertOk(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    }
}
