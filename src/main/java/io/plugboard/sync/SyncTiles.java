package io.plugboard.sync;

import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.Tile;
import io.plugboard.dashboard.TileSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The dashboard's Sync to DB tiles: runs failing, and runs overdue (the workers falling behind). */
@Component
@Order(20)
class SyncTiles implements TileSource {

    /**
     * A run due this long with no worker on it is lag, not a poll interval (seconds) or a full worker's queue
     * turning over: the workers are stopped, too few, or held back by rate limits.
     */
    static final Duration OVERDUE_AFTER = Duration.ofMinutes(5);

    private final SyncStates states;

    SyncTiles(SyncStates states) {
        this.states = states;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Tile> tiles(DashboardScope scope, Instant since) {
        SyncHealth health = states.health(scope.tenantId(), OVERDUE_AFTER);
        var failing = Tile.of("Failing syncs", health.failing(), health.models() == 0 ? "no credential is synced"
                        : String.format("of %,d synced models · %,d paused for a reconnect", health.models(),
                        health.pausedCredential()))
                .tone(health.failing() > 0 ? Tile.Tone.CRITICAL
                        : health.pausedCredential() > 0 ? Tile.Tone.WARNING
                        : health.models() > 0 ? Tile.Tone.GOOD : Tile.Tone.NEUTRAL);
        var overdue = Tile.of("Overdue syncs", health.overdue(), health.overdue() == 0
                        ? "none due for more than " + OVERDUE_AFTER.toMinutes() + " min"
                        : "due for more than " + OVERDUE_AFTER.toMinutes() + " min · longest " + wait(health.longestWait()))
                .tone(health.overdue() > 0 ? Tile.Tone.WARNING : Tile.Tone.NEUTRAL);
        return List.of(failing, overdue);
    }

    private static String wait(Duration wait) {
        return wait.toHours() >= 1 ? wait.toHours() + " h " + wait.toMinutesPart() + " min" : wait.toMinutes() + " min";
    }
}
