package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.Tile;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@PlugboardTest
class WebhookTilesIT extends WebhookTestSupport {

    @Autowired
    WebhookTiles tiles;
    @Autowired
    FailingEndpointsList failingList;

    @Test
    void theDashboardCountsThisTenantsBacklogAndFailingEndpointsOnly() {
        TestTenant quiet = newTenant("wh-tiles-quiet");
        TestTenant busy = newTenant("wh-tiles-busy");
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(503)));
        endpoint(busy, "/tiles/down");
        credential(busy, uniqueUser(), Map.of());
        jdbc.update("UPDATE webhook_endpoints SET consecutive_failures = 99 WHERE tenant_id = ?", busy.id());

        assertThat(values(busy)).containsEntry("Failing webhook endpoints", "1");
        assertThat(Long.parseLong(values(busy).get("Webhook backlog").replace(",", ""))).isGreaterThanOrEqualTo(1);
        assertThat(values(quiet)).containsEntry("Webhook backlog", "0").containsEntry("Failing webhook endpoints", "0");
        assertThat(tiles.tiles(DashboardScope.tenant(busy.id()), Instant.now())).filteredOn(t -> t.label().startsWith("Failing"))
                .singleElement().extracting(Tile::tone).isEqualTo(Tile.Tone.CRITICAL);

        var list = asAdmin(busy, () -> failingList.list(busy.id())).orElseThrow();
        assertThat(list.count()).isOne();
        assertThat(list.items()).singleElement().satisfies(item -> {
            assertThat(item.name()).endsWith("/tiles/down");
            // 99 set above, one more if the worker has already tried again.
            assertThat(item.detail()).containsPattern("^(99|100|101) failed attempts in a row");
            assertThat(item.href()).isEqualTo("webhooks");
        });
        assertThat(asAdmin(quiet, () -> failingList.list(quiet.id()))).as("no endpoints, no list").isEmpty();
    }

    private Map<String, String> values(TestTenant who) {
        List<Tile> result = tiles.tiles(DashboardScope.tenant(who.id()), Instant.now());
        return result.stream().collect(java.util.stream.Collectors.toMap(Tile::label, Tile::value));
    }
}
