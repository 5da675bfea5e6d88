package io.plugboard.credential;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plugboard.database.NotificationListener;
import java.util.UUID;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hears about every committed change that decides whether and how a credential may be used (changeset 013's
 * triggers announce them on {@value #CHANNEL}), through a {@link NotificationListener}: one connection of its own
 * outside the pool, with its own heartbeat.
 *
 * <p>While it is <em>live</em> — listening, and its own heartbeat came back within a second — a copy opened since
 * it went live can be trusted without reading the row again: a change on any instance removes the copy as soon as
 * its notification arrives (typically within a millisecond of the commit). When the connection breaks or falls
 * silent the epoch changes, so every copy is read again until it is live once more. {@link #changes()} lets a
 * reader tell whether a change arrived while it was reading the row.
 */
@Component
class CredentialChanges implements SmartLifecycle {

    static final String CHANNEL = "plugboard_credentials";
    private static final Logger log = LoggerFactory.getLogger(CredentialChanges.class);

    private final NotificationListener feed;
    private final boolean enabled;
    private volatile @Nullable BiConsumer<UUID, @Nullable String> subscriber;

    CredentialChanges(DataSource dataSource, @Value("${plugboard.credentials.change-feed:true}") boolean enabled,
                      MeterRegistry registry) {
        this.feed = new NotificationListener(dataSource, CHANNEL, "credential-changes", "Credential change feed",
                this::changed);
        this.enabled = enabled && feed.available();
        // 0 means every proxied call reads its credential from the database instead of the cache.
        Gauge.builder("plugboard.change.feed.live", feed, f -> f.trustedEpoch() >= 0 ? 1 : 0)
                .description("1 while the credential change feed is listening and its heartbeat comes back")
                .tag("feed", "credential-changes").register(registry);
        // Anyone in the database may NOTIFY: what Plugboard did not seal is refused, and counted here.
        FunctionCounter.builder("plugboard.change.feed.refused", feed, NotificationListener::refused)
                .description("Notifications refused as not sealed by Plugboard's triggers, or replayed")
                .tag("feed", "credential-changes").register(registry);
    }

    /** Who is told of each change: (tenant, credential id), or (tenant, null) for all of a tenant's credentials. */
    void subscribe(BiConsumer<UUID, @Nullable String> subscriber) {
        this.subscriber = subscriber;
    }

    /** Changes a copy opened now may rely on: the current epoch while live, -1 otherwise. */
    long trustedEpoch() {
        return feed.trustedEpoch();
    }

    /** Count of changes heard so far: equal before and after a read means none arrived in between. */
    long changes() {
        return feed.changes();
    }

    /** Count of notifications of any kind whose copies are gone (a test waits on it for a change it committed). */
    long handled() {
        return feed.handled();
    }

    /** Count of notifications refused as not Plugboard's own. */
    long refused() {
        return feed.refused();
    }

    @Override
    public void start() {
        if (!enabled) {
            log.info("Credential change feed off: every proxied call reads its credential's row.");
            return;
        }
        feed.start();
    }

    @Override
    public void stop() {
        feed.close();
    }

    @Override
    public boolean isRunning() {
        return feed.running();
    }

    /** A payload is {@code '<tenant>:<credential>'}, or {@code '<tenant>'} for all of a tenant's credentials. */
    private void changed(String payload) {
        var subscriber = this.subscriber;
        if (subscriber == null) {
            return;
        }
        int colon = payload.indexOf(':');
        UUID tenantId;
        try {
            tenantId = UUID.fromString(colon < 0 ? payload : payload.substring(0, colon));
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a malformed credential change notification");
            return;
        }
        subscriber.accept(tenantId, colon < 0 ? null : payload.substring(colon + 1));
    }
}
