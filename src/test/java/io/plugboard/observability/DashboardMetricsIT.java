package io.plugboard.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.connect.ConnectSessionCompleted;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.proxy.ProxyTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** deploy/grafana/plugboard-dashboard.json asks only for metrics a real scrape has. */
@PlugboardTest
class DashboardMetricsIT extends ProxyTestSupport {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool");

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void everyMetricTheDashboardQueriesIsInTheScrape() throws Exception {
        exerciseEveryMeter();
        String scrape = Scrapes.scrape(port);
        JsonNode dashboard = JSON.readTree(Files.readString(Path.of("deploy/grafana/plugboard-dashboard.json")));

        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                metrics.addAll(metricNames(target.path("expr").asString()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher labelValues = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)")
                    .matcher(variable.path("query").asString(""));
            if (labelValues.find()) {
                metrics.add(labelValues.group(1));
            }
        }

        assertThat(metrics).hasSizeGreaterThanOrEqualTo(12);
        for (String metric : metrics) {
            assertThat(scrape.lines().anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " ")))
                    .as("%s in the scrape", metric).isTrue();
        }
    }

    /** Metric names of a PromQL expression: identifiers outside label matchers, strings, ranges and groupings. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String rest = bare.substring(m.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void theNameExtractionSkipsFunctionsLabelsAndRanges() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(a_bucket{x=\"y\", status=\"5xx\"}[$__rate_interval])))"
                + " / sum without (c) (b_total{instance=~\"$instance\"})")).containsExactly("a_bucket", "b_total");
    }

    /** Counters register on first use: one proxied call, one refresh and one completed connect session. */
    private void exerciseEveryMeter() {
        oauthConnector("dash-oauth");
        provider.stubFor(get(urlPathEqualTo("/api/me")).willReturn(aResponse().withStatus(200).withBody("me")));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"fresh\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        String id = oauthCredential("dash-oauth", "stale", "refresh-me", Instant.now().minus(1, ChronoUnit.HOURS));
        assertThat(call("GET", "/me", id, null).statusCode()).isEqualTo(200);
        transactions.executeWithoutResult(status -> events.publishEvent(new ConnectSessionCompleted(tenant.id(),
                "cs_dashboard", id, "dash-oauth", "dashboard-user", false, CredentialStatus.ACTIVE, Map.of())));
    }
}
