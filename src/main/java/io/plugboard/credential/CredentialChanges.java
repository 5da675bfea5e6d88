package io.plugboard.credential;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hears about every committed change that decides whether and how a credential may be used (changeset 013's
 * triggers announce them on {@value #CHANNEL}), on one connection of its own outside the pool.
 *
 * <p>While it is <em>live</em> — listening, and its own heartbeat came back within {@link #MAX_SILENCE} — a
 * copy opened since it went live can be trusted without reading the row again: a change on any instance
 * removes the copy as soon as its notification arrives (typically within a millisecond of the commit). When
 * the connection breaks or falls silent the epoch changes, so every copy is read again until it is live
 * once more. {@link #changes()} lets a reader tell whether a change arrived while it was reading the row.
 */
@Component
class CredentialChanges implements SmartLifecycle {

    static final String CHANNEL = "plugboard_credentials";
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration MAX_SILENCE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(CredentialChanges.class);

    private final @Nullable HikariDataSource pool;
    private final boolean enabled;
    private final String heartbeat = "heartbeat:" + UUID.randomUUID();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean live;
    private volatile long lastHeartbeatNanos;
    private volatile boolean running;
    private volatile @Nullable Thread listener;
    private volatile @Nullable BiConsumer<UUID, @Nullable String> subscriber;

    CredentialChanges(DataSource dataSource, @Value("${plugboard.credentials.change-feed:true}") boolean enabled) {
        this.pool = unwrap(dataSource);
        this.enabled = enabled && pool != null;
    }

    private static @Nullable HikariDataSource unwrap(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** Who is told of each change: (tenant, credential id), or (tenant, null) for all of a tenant's credentials. */
    void subscribe(BiConsumer<UUID, @Nullable String> subscriber) {
        this.subscriber = subscriber;
    }

    /** Changes a copy opened now may rely on: the current epoch while live, -1 otherwise. */
    long trustedEpoch() {
        if (live && System.nanoTime() - lastHeartbeatNanos > MAX_SILENCE.toNanos()) {
            lost("fell silent");
        }
        return live ? epoch.get() : -1;
    }

    /** Count of changes heard so far: equal before and after a read means none arrived in between. */
    long changes() {
        return changes.get();
    }

    /** Count of notifications of any kind whose copies are gone (a test waits on it for a change it committed). */
    long handled() {
        return handled.get();
    }

    @Override
    public void start() {
        if (!enabled) {
            log.info("Credential change feed off: every proxied call reads its credential's row.");
            return;
        }
        running = true;
        Thread thread = Thread.ofPlatform().daemon().name("credential-changes").unstarted(this::listen);
        listener = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        lost("stopped");
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (Connection connection = open(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                long sent = 0;
                while (running) {
                    long now = System.nanoTime();
                    if (now - sent >= HEARTBEAT.toNanos()) {
                        statement.execute("SELECT pg_notify('" + CHANNEL + "', '" + heartbeat + "')");
                        sent = now;
                    }
                    PGNotification[] notifications = pg.getNotifications((int) HEARTBEAT.toMillis());
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            heard(notification.getParameter());
                        }
                    }
                    trustedEpoch();
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    lost("connection failed: " + e.getMessage());
                    log.warn("Credential change feed interrupted ({}); calls read their credential until it is back",
                            e.getMessage());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                            : backoff.multipliedBy(2);
                }
            }
        }
    }

    private void heard(String payload) {
        try {
            handle(payload);
        } finally {
            handled.incrementAndGet();
        }
    }

    private void handle(String payload) {
        if (payload.equals(heartbeat)) {
            lastHeartbeatNanos = System.nanoTime();
            if (!live) {
                epoch.incrementAndGet();
                live = true;
                log.info("Credential change feed live");
            }
            return;
        }
        if (payload.startsWith("heartbeat:")) {
            return;
        }
        // Counted before the copy goes: a reader that began before this change sees the count move.
        changes.incrementAndGet();
        var subscriber = this.subscriber;
        if (subscriber == null) {
            return;
        }
        int colon = payload.indexOf(':');
        try {
            UUID tenantId = UUID.fromString(colon < 0 ? payload : payload.substring(0, colon));
            subscriber.accept(tenantId, colon < 0 ? null : payload.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a malformed credential change notification");
        }
    }

    private synchronized void lost(String why) {
        if (live) {
            live = false;
            epoch.incrementAndGet();
            log.info("Credential change feed not live ({})", why);
        }
    }

    private Connection open() throws SQLException {
        HikariDataSource source = java.util.Objects.requireNonNull(pool);
        var properties = new Properties();
        properties.putAll(source.getDataSourceProperties());
        if (source.getUsername() != null) {
            properties.setProperty("user", source.getUsername());
        }
        if (source.getPassword() != null) {
            properties.setProperty("password", source.getPassword());
        }
        properties.setProperty("ApplicationName", "plugboard-credential-changes");
        Connection connection = DriverManager.getConnection(source.getJdbcUrl(), properties);
        connection.setAutoCommit(true);
        return connection;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
