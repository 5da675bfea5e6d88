package io.plugboard.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
 * change committed on any instance arrives here. When the connection breaks, falls silent or a subscriber fails on
 * a payload (its copy may still be there) the epoch moves on, so such copies are read again. Reconnects with a
 * growing pause.
 *
 * <p>A reader keeps what it read only if {@link #changes()} did not move during the read: a change is counted
 * before the subscriber removes copies, so no interleaving leaves a stale copy trusted.
 *
 * <p>Any role in the database may send on any channel, a tenant's SQL login included, and listen to it. So the
 * subscriber is handed only payloads sealed by Plugboard's triggers ({@link NotificationSeal}, changeset 035);
 * anything else is {@linkplain #refused() refused}: it neither counts as a change nor makes the feed lose trust,
 * since no change of Plugboard's stands behind it. Heartbeats stay in the clear: one that comes back, whoever sent
 * it, proves the same thing, that everything committed before it has arrived.
 */
public final class NotificationListener implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration MAX_SILENCE = Duration.ofSeconds(1);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    /** Short: after a database outage, every proxied call reads its credential's row until the feed is back. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    private static final String HEARTBEAT_PREFIX = "heartbeat:";
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final @Nullable HikariDataSource pool;
    private final String channel;
    private final String name;
    private final String label;
    private final Consumer<String> subscriber;
    private final String heartbeat = HEARTBEAT_PREFIX + UUID.randomUUID();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean live;
    private volatile long lastHeartbeatNanos;
    private volatile boolean running;
    private volatile @Nullable Thread listener;
    /** Loaded on every connect, used on the listening thread only. */
    private @Nullable NotificationSeal seal;

    /** Named after its channel, in its thread, its connection's application name and its log lines. */
    public NotificationListener(DataSource dataSource, String channel, Consumer<String> subscriber) {
        this(dataSource, channel, channel, "Notifications on " + channel, subscriber);
    }

    /**
     * A listener that never goes live when the data source is not a Hikari pool (nothing to open a connection
     * from; see {@link #available()}).
     *
     * @param name  its thread's name, and its connection's application name after {@code plugboard-}
     * @param label what its log lines call it, such as "Credential change feed"
     */
    public NotificationListener(DataSource dataSource, String channel, String name, String label,
                                Consumer<String> subscriber) {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a listener name: " + name);
        }
        this.pool = unwrap(dataSource);
        this.channel = channel;
        this.name = name;
        this.label = label;
        this.subscriber = subscriber;
    }

    private static @Nullable HikariDataSource unwrap(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** Whether it can listen at all: only a Hikari pool says how to open a connection outside it. */
    public boolean available() {
        return pool != null;
    }

    /** Starts listening on a thread of its own; does nothing if it is not {@link #available()} or already running. */
    public void start() {
        if (pool == null || running) {
            return;
        }
        running = true;
        Thread thread = Thread.ofPlatform().daemon().name(name).unstarted(this::listen);
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
        // Checked here too, not only on the listening thread: a thread stuck in a read must not keep it live.
        if (live && System.nanoTime() - lastHeartbeatNanos > MAX_SILENCE.toNanos()) {
            lost("fell silent");
        }
        return live ? epoch.get() : -1;
    }

    /** Count of payloads heard so far: equal before and after a read means none arrived in between. */
    public long changes() {
        return changes.get();
    }

    /**
     * Count of notifications of any kind (heartbeats, anyone's, included) done with, their copies gone. Notifications
     * arrive in commit order, so once one committed now is counted, so is every change committed before it.
     */
    public long handled() {
        return handled.get();
    }

    /** Count of payloads refused as not Plugboard's own: forged, replayed or malformed. */
    public long refused() {
        return refused.get();
    }

    private void listen() {
        Duration pause = FIRST_PAUSE;
        while (running) {
            try (Connection connection = open(); Statement statement = connection.createStatement()) {
                seal = NotificationSeal.load(connection, channel);
                statement.execute("LISTEN " + channel);
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = FIRST_PAUSE;
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
                    log.warn("{} interrupted ({}); nothing it announces is trusted until it is back, reconnecting",
                            label, e.getMessage());
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
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
                log.info("{} live", label);
            }
            return;
        }
        if (payload.startsWith(HEARTBEAT_PREFIX)) {
            return;
        }
        Optional<String> message = Objects.requireNonNull(seal).open(payload);
        if (message.isEmpty()) {
            refused.incrementAndGet();
            log.debug("{} refused a notification that Plugboard did not seal, or a replay", label);
            return;
        }
        // Counted before the subscriber drops its copy: a reader that began before this change sees the count move.
        changes.incrementAndGet();
        try {
            subscriber.accept(message.get());
        } catch (RuntimeException e) {
            // The copy this change should have removed may still be there: trust nothing read before.
            lost("a subscriber failed");
            log.warn("A subscriber of {} failed on a notification", channel, e);
        }
    }

    private synchronized void lost(String why) {
        if (live) {
            live = false;
            epoch.incrementAndGet();
            log.info("{} not live ({})", label, why);
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
        properties.setProperty("ApplicationName", "plugboard-" + name);
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
