package io.plugboard.webhook;

import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.Tile;
import io.plugboard.dashboard.TileSource;
import java.time.Instant;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The dashboard's webhook tiles: deliveries waiting, and endpoints that keep failing or receive nothing. */
@Component
@Order(10)
class WebhookTiles implements TileSource {

    /** A backlog this deep means receivers are slow or down, not merely busy. */
    static final long BACKLOG_WARNING = 1_000;

    private final WebhookStore store;
    private final WebhookProperties properties;

    WebhookTiles(WebhookStore store, WebhookProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Tile> tiles(DashboardScope scope, Instant since) {
        WebhookSummary summary = store.summary(scope.tenantId(), properties.unhealthyAfter());
        var backlog = Tile.of("Webhook backlog", summary.backlog(), summary.endpoints() == 0 ? "no webhook endpoints"
                : String.format("deliveries pending for %,d endpoints", summary.endpoints()))
                .tone(summary.backlog() >= BACKLOG_WARNING ? Tile.Tone.WARNING : Tile.Tone.NEUTRAL);
        var failing = Tile.of("Failing webhook endpoints", summary.failingEndpoints(),
                String.format("%,d disabled (turned off or 410 Gone)", summary.disabledEndpoints()))
                .tone(summary.failingEndpoints() > 0 ? Tile.Tone.CRITICAL
                        : summary.endpoints() > 0 ? Tile.Tone.GOOD : Tile.Tone.NEUTRAL);
        return List.of(backlog, failing);
    }
}
