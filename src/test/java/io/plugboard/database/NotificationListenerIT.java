package io.plugboard.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The listener on the shared test database, on channels of its own, so nothing else hears these payloads. */
@PlugboardTest
class NotificationListenerIT {

    private static final String CHANNEL = "plugboard_listener_test";

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private final List<NotificationListener> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(NotificationListener::close);
    }

    private NotificationListener listening(java.util.function.Consumer<String> subscriber) {
        var listener = new NotificationListener(dataSource, CHANNEL, "listener-test", "Test feed", subscriber);
        started.add(listener);
        listener.start();
        await("the listener is live", () -> listener.trustedEpoch() >= 0 ? 1 : 0, 0);
        return listener;
    }

    /**
     * A change committed now: returns once the listener has handled it, and with it everything committed before.
     * Handling is sequential on the listener's thread, so once the change is counted the next notification it finishes
     * is this one (or, if that was already so, the next heartbeat); a heartbeat finished meanwhile does not count.
     */
    private void notifyAndWait(NotificationListener listener, String payload) {
        long changes = listener.changes();
        notifyOnly(payload);
        await("the listener took " + payload, listener::changes, changes);
        await("the listener handled " + payload, listener::handled, listener.handled());
    }

    /** Heartbeats as they are; anything else sealed as Plugboard's triggers seal it (changeset 035). */
    private void notifyOnly(String payload) {
        if (payload.startsWith("heartbeat:")) {
            jdbc.execute("SELECT pg_notify('" + CHANNEL + "', '" + payload + "')");
        } else {
            jdbc.execute("SELECT pg_notify('" + CHANNEL + "', '" + sealed(payload) + "')");
        }
    }

    /** Sealed as the triggers do; only the owner (here the superuser) may call the function. */
    private String sealed(String payload) {
        return DatabaseSuperuser.of(context).queryForObject("SELECT notification_seal(?, ?)", String.class, CHANNEL,
                payload);
    }

    private static void await(String what, LongSupplier value, long before) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (value.getAsLong() <= before) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            try {
                Thread.sleep(Duration.ofMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aPayloadIsCountedAndHandedOverWhileAnotherListenersHeartbeatIsOnlyHandled() {
        List<String> heard = new CopyOnWriteArrayList<>();
        var listener = listening(heard::add);
        long epoch = listener.trustedEpoch();
        long changes = listener.changes();

        // Handled before the change that follows it: notifications arrive in commit order.
        notifyOnly("heartbeat:someone-else");
        notifyAndWait(listener, "tenant:1");

        assertThat(heard).containsExactly("tenant:1");
        assertThat(listener.changes()).as("another listener's heartbeat is no change").isEqualTo(changes + 1);
        assertThat(listener.trustedEpoch()).as("a handled change keeps the epoch").isEqualTo(epoch);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                Long.class, "plugboard-listener-test")).as("its connection is named after it").isPositive();
    }

    @Test
    void aSubscriberThatFailsOnAPayloadEndsTheEpochSoNoCopyReadBeforeIsTrusted() {
        var listener = listening(payload -> {
            if (payload.equals("poison")) {
                throw new IllegalStateException("the copy was not removed");
            }
        });
        long epoch = listener.trustedEpoch();

        notifyAndWait(listener, "poison");

        assertThat(listener.trustedEpoch()).as("copies opened in the epoch before the failure are read again")
                .isNotEqualTo(epoch);
        await("live again, in a new epoch", () -> listener.trustedEpoch() > epoch ? 1 : 0, 0);
    }

    @Test
    void whatPlugboardDidNotSealOrSealedForAnotherChannelOrWasHeardBeforeIsRefusedAndChangesNothing() {
        List<String> heard = new CopyOnWriteArrayList<>();
        var listener = listening(payload -> {
            heard.add(payload);
            if (payload.equals("poison")) {
                throw new IllegalStateException("a forged payload reached the subscriber");
            }
        });
        long epoch = listener.trustedEpoch();
        String genuine = sealed("tenant:1");
        String otherChannel = DatabaseSuperuser.of(context).queryForObject("SELECT notification_seal(?, ?)",
                String.class, "plugboard_credentials", "tenant:2");
        String tampered = genuine.substring(0, 10) + (genuine.charAt(10) == 'A' ? 'B' : 'A') + genuine.substring(11);
        List<String> forged = List.of("poison", "tenant:1", "", "AAAA", tampered, otherChannel, genuine);

        notifyAndWait(listener, "tenant:1");
        long changes = listener.changes();
        jdbc.execute("SELECT pg_notify('" + CHANNEL + "', '" + genuine + "')");
        long refused = listener.refused();
        for (String payload : forged) {
            jdbc.execute("SELECT pg_notify('" + CHANNEL + "', '" + payload + "')");
        }
        await("every forged payload refused", listener::refused, refused + forged.size() - 1);

        assertThat(listener.refused()).isEqualTo(refused + forged.size());
        assertThat(heard).as("the genuine one once; replays of it refused").containsExactly("tenant:1", "tenant:1");
        assertThat(listener.changes()).as("forgeries are no changes").isEqualTo(changes + 1);
        assertThat(listener.trustedEpoch()).as("nor a reason to distrust copies").isEqualTo(epoch);
    }

    @Test
    void withoutAPoolToOpenAConnectionFromItNeverStartsNorGoesLive() {
        var plain = new SimpleDriverDataSource(new org.postgresql.Driver(), "jdbc:postgresql://127.0.0.1:1/none");
        var listener = new NotificationListener(plain, CHANNEL, "listener-test", "Test feed", payload -> { });
        started.add(listener);

        listener.start();

        assertThat(listener.available()).isFalse();
        assertThat(listener.running()).isFalse();
        assertThat(listener.trustedEpoch()).isEqualTo(-1);
    }
}
