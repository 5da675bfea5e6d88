package io.plugboard.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Adds tiles to the dashboard from another feature: a Spring bean implementing this is asked for its tiles
 * after the dashboard's own, in {@code @Order}. The dashboard has checked that the signed-in user may see
 * {@code scope} before it asks; a source counts only that tenant's data (or every tenant's when
 * {@link DashboardScope#isAllTenants()}).
 */
public interface TileSource {

    /**
     * @param scope the tenant (or all tenants) to count
     * @param since the start of the dashboard's "last 24 hours" window (a whole clock hour, UTC)
     */
    List<Tile> tiles(DashboardScope scope, Instant since);
}
