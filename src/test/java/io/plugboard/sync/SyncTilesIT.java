package io.plugboard.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.Tile;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.TestTenants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's sync tiles: failing runs, and runs overdue with no worker on them (the tests' worker is off, so
 * the states set here stay as they are).
 */
@PlugboardTest
class SyncTilesIT extends ProxyTestSupport {

    @Autowired
    SyncTiles tiles;
    @Autowired
    SyncService sync;

    @Test
    void theTilesCountThisTenantsFailingAndOverdueSyncsOnly() {
        String appKey = apiKeyConnectorAt("fub-standin", provider.baseUrl() + "/v1");
        String first = apiKeyCredential(appKey, Map.of("apiKey", "first"));
        String second = apiKeyCredential(appKey, Map.of("apiKey", "second"));
        asAdmin(tenant, () -> sync.configure(tenant.id(), first, new SyncSettings(List.of("people"), 15)));
        asAdmin(tenant, () -> sync.configure(tenant.id(), second, new SyncSettings(List.of("people", "notes"), 15)));
        jdbc.update("UPDATE sync_states SET next_run_at = now() + interval '10 minutes' WHERE tenant_id = ?",
                tenant.id());

        Map<String, Tile> healthy = tiles(tenant.id());
        assertThat(healthy.get("Failing syncs").value()).isEqualTo("0");
        assertThat(healthy.get("Failing syncs").tone()).isEqualTo(Tile.Tone.GOOD);
        assertThat(healthy.get("Overdue syncs").value()).isEqualTo("0");

        jdbc.update("UPDATE sync_states SET consecutive_failures = 1, last_error = 'Follow Up Boss failed (500)' "
                + "WHERE credential_id = ?", first);
        jdbc.update("UPDATE sync_states SET next_run_at = now() - interval '20 minutes' WHERE credential_id = ? "
                + "AND model = 'notes'", second);
        jdbc.update("UPDATE sync_states SET paused = true, paused_reason = 'credential' WHERE credential_id = ? "
                + "AND model = 'people'", second);

        Map<String, Tile> troubled = tiles(tenant.id());
        assertThat(troubled.get("Failing syncs").value()).isEqualTo("1");
        assertThat(troubled.get("Failing syncs").hint()).isEqualTo("of 3 synced models · 1 paused for a reconnect");
        assertThat(troubled.get("Failing syncs").tone()).isEqualTo(Tile.Tone.CRITICAL);
        assertThat(troubled.get("Overdue syncs").value()).isEqualTo("1");
        assertThat(troubled.get("Overdue syncs").hint()).matches("due for more than 5 min · longest (19|20) min");
        assertThat(troubled.get("Overdue syncs").tone()).isEqualTo(Tile.Tone.WARNING);

        jdbc.update("UPDATE sync_states SET next_run_at = now() - interval '1 minute' WHERE credential_id = ?", first);
        jdbc.update("UPDATE sync_states SET lease_until = now() + interval '1 minute' WHERE credential_id = ? "
                + "AND model = 'notes'", second);
        assertThat(tiles(tenant.id()).get("Overdue syncs").value())
                .as("due a minute ago is a poll away; a leased run is running").isEqualTo("0");

        var quiet = TestTenants.create(context, "sync-tiles-quiet");
        Map<String, Tile> none = tiles(quiet.id());
        assertThat(none.get("Failing syncs").value()).isEqualTo("0");
        assertThat(none.get("Failing syncs").hint()).isEqualTo("no credential is synced");
        assertThat(none.get("Overdue syncs").value()).isEqualTo("0");
    }

    private Map<String, Tile> tiles(UUID tenantId) {
        return TenantScope.tenant(tenantId, () -> tiles.tiles(DashboardScope.tenant(tenantId), Instant.now())).stream()
                .collect(Collectors.toMap(Tile::label, Function.identity()));
    }
}
