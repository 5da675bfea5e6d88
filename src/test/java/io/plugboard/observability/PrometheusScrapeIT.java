package io.plugboard.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape: only with the metrics token, in the text format, and never naming a credential or end user. */
@PlugboardTest
class PrometheusScrapeIT extends ProxyTestSupport {

    @Test
    void withoutTheTokenTheScrapeIsRefused() {
        var response = scrape(null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(response.body()).doesNotContain("jvm_");
    }

    @Test
    void aWrongTokenIsRefused() {
        assertThat(scrape("Bearer not-" + PlugboardTest.METRICS_TOKEN).statusCode()).isEqualTo(401);
        assertThat(scrape("Basic " + PlugboardTest.METRICS_TOKEN).statusCode()).isEqualTo(401);
        assertThat(scrape("Bearer ").statusCode()).isEqualTo(401);
    }

    @Test
    void theRightTokenGetsTheTextFormat() {
        var response = scrape("Bearer " + PlugboardTest.METRICS_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(response.body()).contains("# TYPE ").contains("jvm_memory_used_bytes");
    }

    @Test
    void healthStaysPublic() {
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void noCredentialOrEndUserIdAppearsInTheScrape() {
        apiKeyConnector("scrape-key", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        oauthConnector("scrape-oauth");
        provider.stubFor(get(urlPathEqualTo("/api/ok")).willReturn(aResponse().withStatus(200).withBody("ok")));
        provider.stubFor(get(urlPathEqualTo("/api/missing")).willReturn(aResponse().withStatus(404)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String endUser = "end-user-scrape-" + i + "-" + System.nanoTime();
            ids.add(endUser);
            ids.add(credential(tenant, "scrape-key", endUser, Map.of("apiKey", "key-" + i), null));
            ids.add(oauthCredential("scrape-oauth", "access-" + i, "refresh-" + i,
                    Instant.now().plus(1, ChronoUnit.HOURS)));
        }
        for (String id : ids.stream().filter(id -> id.startsWith("cred_")).toList()) {
            assertThat(call("GET", "/ok", id, null).statusCode()).isEqualTo(200);
            call("GET", "/missing", id, null);
        }
        call("GET", "/ok", "cred_doesnotexist", null);

        String scrape = scrape("Bearer " + PlugboardTest.METRICS_TOKEN).body();

        assertThat(scrape).contains("# TYPE ");
        for (String id : ids) {
            assertThat(scrape).as("scrape names %s", id).doesNotContain(id);
        }
        assertThat(scrape).doesNotContain("cred_").doesNotContain("end-user-scrape").doesNotContain(tenant.id().toString());
    }

    @Test
    void proxiedCallsAreTimedByTheirOwnMetricNotAsServerRequests() {
        apiKeyConnector("scrape-own", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        provider.stubFor(get(urlPathEqualTo("/api/own")).willReturn(aResponse().withStatus(200).withBody("ok")));
        String id = credential(tenant, "scrape-own", "end-user-own-" + System.nanoTime(), Map.of("apiKey", "k"), null);
        assertThat(call("GET", "/own", id, null).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/connectors"))
                .header("Authorization", "Bearer " + jwt()).build()).statusCode()).isEqualTo(200);

        List<String> serverRequests = scrape("Bearer " + PlugboardTest.METRICS_TOKEN).body().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count")).toList();

        assertThat(serverRequests).anyMatch(line -> line.contains("uri=\"/api/v1/connectors\""));
        assertThat(serverRequests).noneMatch(line -> line.contains("/api/v1/proxy"));
        assertThat(scrape("Bearer " + PlugboardTest.METRICS_TOKEN).body())
                .contains("plugboard_proxy_calls_seconds_count{connector=\"scrape-own\"");
    }

    private HttpResponse<String> scrape(String authorization) {
        return Scrapes.scrape(port, authorization);
    }
}
