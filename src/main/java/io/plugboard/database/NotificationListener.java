package io.plugboard.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to one PostgreSQL notification channel on a connection of its own, outside the pool, and hands every
 * payload to its subscriber. It is <em>live</em> while listening and its own heartbeat came back within
 * {@link #MAX_SILENCE}; a cache may keep what it read since it went live (its {@link #trustedEpoch()}), because any
 * change committed on any instance arrives here. When the connection breaks or falls silent the epoch moves on, so
 * such copies are read again. Reconnects with a growing pause.
 */
public final class NotificationListener implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration MAX_SILENCE = Duration.ofSeconds(1);
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final @Nullable HikariDataSource pool;
    private final String channel;
    private final Consumer<String> subscriber;
    private final String heartbeat = "heartbeat:" + UUID.randomUUID();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean live;
    private volatile long lastHeartbeatNanos;
    private volatile boolean running;
    private volatile @Nullable Thread listener;

    /** A listener that never goes live when the data source is not a Hikari pool (nothing to open a connection from). */
    public NotificationListener(DataSource dataSource, String channel, Consumer<String> subscriber) {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        this.pool = unwrap(dataSource);
        this.channel = channel;
        this.subscriber = subscriber;
    }

    private static @Nullable HikariDataSource unwrap(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    public void start() {
        if (pool == null || running) {
            return;
        }
        running = true;
        Thread thread = Thread.ofPlatform().daemon().name("notifications-" + channel).unstarted(this::listen);
        listener = thread;
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        lost("stopped");
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    public boolean running() {
        return running;
    }

    /** What a copy read now may rely on: the current epoch while live, -1 otherwise. */
    public long trustedEpoch() {
        if (live && System.nanoTime() - lastHeartbeatNanos > MAX_SILENCE.toNanos()) {
            lost("fell silent");
        }
        return live ? epoch.get() : -1;
    }

    /** Count of payloads heard so far: equal before and after a read means none arrived in between. */
    public long changes() {
        return changes.get();
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (Connection connection = open(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + channel);
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = Duration.ofMillis(100);
                long sent = 0;
                while (running) {
                    long now = System.nanoTime();
                    if (now - sent >= HEARTBEAT.toNanos()) {
                        statement.execute("SELECT pg_notify('" + channel + "', '" + heartbeat + "')");
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
                    log.warn("Notifications on {} interrupted ({}); reconnecting", channel, e.getMessage());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                            : backoff.multipliedBy(2);
                }
            }
        }
    }

    private void heard(String payload) {
        if (payload.equals(heartbeat)) {
            lastHeartbeatNanos = System.nanoTime();
            if (!live) {
                epoch.incrementAndGet();
                live = true;
                log.info("Notifications on {} live", channel);
            }
            return;
        }
        if (payload.startsWith("heartbeat:")) {
            return;
        }
        // Counted before the subscriber drops its copy: a reader that began before this change sees the count move.
        changes.incrementAndGet();
        try {
            subscriber.accept(payload);
        } catch (RuntimeException e) {
            log.warn("A subscriber of {} failed on a notification", channel, e);
        }
    }

    private synchronized void lost(String why) {
        if (live) {
            live = false;
            epoch.incrementAndGet();
            log.info("Notifications on {} not live ({})", channel, why);
        }
    }

    private Connection open() throws SQLException {
        HikariDataSource source = Objects.requireNonNull(pool);
        var properties = new Properties();
        properties.putAll(source.getDataSourceProperties());
        if (source.getUsername() != null) {
            properties.setProperty("user", source.getUsername());
        }
        if (source.getPassword() != null) {
            properties.setProperty("password", source.getPassword());
        }
        properties.setProperty("ApplicationName", "plugboard-" + channel);
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
