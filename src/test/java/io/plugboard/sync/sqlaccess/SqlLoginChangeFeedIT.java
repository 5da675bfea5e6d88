package io.plugboard.sync.sqlaccess;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A tenant's SQL login listening to Plugboard's change feeds, as a hostile tenant would: anyone in the database may
 * LISTEN to any channel, so what the feeds carry must tell it nothing about any tenant, credential or user.
 */
@PlugboardTest
class SqlLoginChangeFeedIT extends ProxyTestSupport {

    private static final List<String> CHANNELS = List.of("plugboard_credentials", "plugboard_portal_access",
            "plugboard_portal_sessions");

    @Test
    void aListeningLoginHearsNoTenantCredentialUserOrSessionIdOnAnyFeed() throws SQLException {
        TestTenant first = TestTenants.create(context, "feedspy");
        TestTenant second = TestTenants.create(context, "feedspied");
        apiKeyConnectorAt(first, "feed-spy", provider.baseUrl());
        apiKeyConnectorAt(second, "feed-spied", provider.baseUrl());
        String firstCredential = credential(first, "feed-spy", "spy-user", Map.of("apiKey", "k1"), null);
        String secondCredential = credential(second, "feed-spied", "spied-user", Map.of("apiKey", "k2"), null);
        UUID firstAdmin = SignedIn.principal(jdbc, first.adminEmail()).userId();
        UUID secondAdmin = SignedIn.principal(jdbc, second.adminEmail()).userId();

        try (Connection spy = SqlLoginSessions.signIn(context, first)) {
            try (Statement statement = spy.createStatement()) {
                for (String channel : CHANNELS) {
                    statement.execute("LISTEN " + channel);
                }
            }
            for (String credential : List.of(firstCredential, secondCredential)) {
                jdbc.update("UPDATE credentials SET config = '{\"changed\": true}' WHERE id = ?", credential);
                jdbc.update("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = now() WHERE id = ?",
                        credential);
            }
            for (UUID admin : List.of(firstAdmin, secondAdmin)) {
                jdbc.update("UPDATE portal_users SET enabled = false WHERE id = ?", admin);
                jdbc.update("UPDATE portal_users SET enabled = true WHERE id = ?", admin);
            }
            UUID session = UUID.randomUUID();
            jdbc.update("INSERT INTO portal_sessions (id, user_id, tenant_id, started_at, last_seen_at) "
                    + "VALUES (?, ?, ?, now(), now())", session, secondAdmin, second.id());
            jdbc.update("UPDATE portal_sessions SET ended_at = now(), ended_reason = 'signed_out' WHERE id = ?", session);
            for (TestTenant tenant : List.of(first, second)) {
                TestTenants.suspend(context, tenant.id());
            }
            List<String> heard = heardUntilMarker(spy);

            List<String> changes = heard.stream().filter(payload -> !payload.startsWith("heartbeat:")).toList();
            assertThat(changes).as("the feeds did carry the changes").hasSizeGreaterThanOrEqualTo(11);
            List<String> secrets = new ArrayList<>();
            for (UUID id : List.of(first.id(), second.id(), firstAdmin, secondAdmin, session)) {
                secrets.add(id.toString());
                secrets.add(id.toString().replace("-", ""));
            }
            secrets.addAll(List.of(firstCredential, secondCredential, first.slug(), second.slug()));
            for (String payload : heard) {
                String decoded = decodedIfBase64(payload);
                for (String secret : secrets) {
                    assertThat(payload).doesNotContainIgnoringCase(secret);
                    assertThat(decoded).doesNotContainIgnoringCase(secret);
                }
                for (UUID id : List.of(first.id(), second.id(), firstAdmin, secondAdmin, session)) {
                    assertThat(decoded).doesNotContain(binary(id));
                }
            }
        }
    }

    /** Everything the session heard up to a marker committed now (notifications arrive in commit order). */
    static List<String> heardUntilMarker(Connection spy) throws SQLException {
        String marker = "heartbeat:marker-" + UUID.randomUUID();
        try (Statement statement = spy.createStatement()) {
            statement.execute("SELECT pg_notify('plugboard_credentials', '" + marker + "')");
        }
        List<String> heard = new ArrayList<>();
        PGConnection pg = spy.unwrap(PGConnection.class);
        Instant deadline = Instant.now().plusSeconds(10);
        while (!heard.contains(marker)) {
            assertThat(Instant.now()).as("the marker came back").isBefore(deadline);
            PGNotification[] notifications = pg.getNotifications(200);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    heard.add(notification.getParameter());
                }
            }
        }
        return heard;
    }

    /** Base64 or hex, as text (ISO-8859-1 keeps every byte), or the payload itself when it is neither. */
    private static String decodedIfBase64(String payload) {
        try {
            return new String(Base64.getMimeDecoder().decode(payload), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException notBase64) {
            try {
                return new String(HexFormat.of().parseHex(payload), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException notHex) {
                return payload;
            }
        }
    }

    private static String binary(UUID id) {
        byte[] bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
