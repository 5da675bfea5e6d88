package io.plugboard.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.plugboard.observability.Scrapes.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics operators read, as a Prometheus scrape shows them after real calls. */
@PlugboardTest
class OperatorMetricsIT extends ProxyTestSupport {

    @Test
    void proxiedCallsAreTimedByConnectorOutcomeAndStatusClassInFixedBuckets() {
        apiKeyConnector("obs-calls", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        String id = apiKeyCredential("obs-calls", Map.of("apiKey", "k"));
        provider.stubFor(get(urlPathEqualTo("/api/ok")).willReturn(aResponse().withStatus(200).withBody("ok")));
        provider.stubFor(get(urlPathEqualTo("/api/gone")).willReturn(aResponse().withStatus(404)));
        String before = Scrapes.scrape(port);
        double missingBefore = before.contains("connector=\"none\",outcome=\"plugboard\",status=\"4xx\"")
                ? value(before, "plugboard_proxy_calls_seconds_count{connector=\"none\",outcome=\"plugboard\",status=\"4xx\"")
                : 0;

        for (int i = 0; i < 3; i++) {
            assertThat(call("GET", "/ok", id, null).statusCode()).isEqualTo(200);
        }
        assertThat(call("GET", "/gone", id, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/ok", "cred_nosuchcredential", null).statusCode()).isEqualTo(404);

        String scrape = Scrapes.scrape(port);
        assertThat(value(scrape, "plugboard_proxy_calls_seconds_count{connector=\"obs-calls\",outcome=\"provider\",status=\"2xx\""))
                .isEqualTo(3);
        assertThat(value(scrape, "plugboard_proxy_calls_seconds_count{connector=\"obs-calls\",outcome=\"provider\",status=\"4xx\""))
                .isEqualTo(1);
        assertThat(value(scrape, "plugboard_proxy_calls_seconds_count{connector=\"none\",outcome=\"plugboard\",status=\"4xx\""))
                .isEqualTo(missingBefore + 1);
        assertThat(value(scrape, "plugboard_proxy_calls_seconds_bucket{connector=\"obs-calls\",outcome=\"provider\",status=\"2xx\",le=\"+Inf\""))
                .isEqualTo(3);
        // A fixed set of buckets: 11 bounds and +Inf, whatever the latencies were.
        assertThat(scrape.lines().filter(l -> l.startsWith(
                "plugboard_proxy_calls_seconds_bucket{connector=\"obs-calls\",outcome=\"provider\",status=\"2xx\""))).hasSize(12);
    }

    @Test
    void tokenRefreshesAreCountedByOutcome() {
        oauthConnector("obs-refresh");
        provider.stubFor(get(urlPathEqualTo("/api/me")).willReturn(aResponse().withStatus(200).withBody("me")));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"fresh\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        String id = oauthCredential("obs-refresh", "stale", "refresh-me", Instant.now().minus(1, ChronoUnit.HOURS));

        assertThat(call("GET", "/me", id, null).statusCode()).isEqualTo(200);

        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        String revoked = oauthCredential("obs-refresh", "stale", "revoked-at-provider",
                Instant.now().minus(1, ChronoUnit.HOURS));
        call("GET", "/me", revoked, null);

        String scrape = Scrapes.scrape(port);
        assertThat(value(scrape, "plugboard_token_refreshes_total{connector=\"obs-refresh\",outcome=\"refreshed\""))
                .isEqualTo(1);
        assertThat(value(scrape, "plugboard_token_refreshes_total{connector=\"obs-refresh\",outcome=\"rejected\""))
                .isEqualTo(1);
    }

    @Test
    void backlogsLagsPoolAndChangeFeedAreExported() {
        String scrape = Scrapes.scrape(port);
        assertThat(value(scrape, "plugboard_webhook_backlog")).isGreaterThanOrEqualTo(0);
        assertThat(value(scrape, "plugboard_webhook_lag_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(scrape).contains("plugboard_webhook_attempts_total{outcome=\"delivered\"");
        assertThat(value(scrape, "plugboard_audit_sealing_lag_seconds")).isBetween(0.0, 60.0);
        assertThat(value(scrape, "plugboard_change_feed_live{feed=\"credential-changes\"")).isEqualTo(1);
        assertThat(scrape).contains("plugboard_connect_sessions_started_total")
                .contains("hikaricp_connections_active{").contains("hikaricp_connections_pending{");
    }
}
