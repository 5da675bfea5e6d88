package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.client.WebhookVerifier.WebhookSignatureException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The signature scheme of docs/webhooks.md: {@code t=<seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, one
 * {@code v1} per secret during a rotation, a 5-minute replay window. The signatures here are computed from that text;
 * {@code PlugboardClientIT} checks the verifier against the application's own signer.
 */
class WebhookVerifierTest {

    private static final String SECRET = "whsec_new_0123456789abcdef";
    private static final String OLD_SECRET = "whsec_old_fedcba9876543210";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"credential.revoked\",\"createdAt\":\"2026-12-07T10:00:00.123Z\","
            + "\"tenant\":\"6b1f0c1e\",\"data\":{\"credentialId\":\"cred_1\",\"venue\":\"Hällö ✓\"}}";
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final long T = NOW.getEpochSecond();

    private final WebhookVerifier verifier = new WebhookVerifier(SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aGenuineDeliveryIsAcceptedAndParsed() {
        var event = verifier.verify("t=" + T + ",v1=" + sign(SECRET, T, BODY), bytes(BODY));

        assertThat(event.id()).isEqualTo("evt_1");
        assertThat(event.type()).isEqualTo("credential.revoked");
        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-12-07T10:00:00.123Z"));
        assertThat(event.data().path("venue").asText()).isEqualTo("Hällö ✓");
    }

    @Test
    void duringARotationEitherSignatureIsEnough() {
        String header = "t=" + T + ",v1=" + sign(SECRET, T, BODY) + ",v1=" + sign(OLD_SECRET, T, BODY);

        assertThat(verifier.isValid(header, bytes(BODY))).isTrue();
        assertThat(new WebhookVerifier(OLD_SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC)).isValid(header, bytes(BODY)))
                .isTrue();
        // A receiver that rotates its own copy accepts the old and the new secret for a while.
        assertThat(new WebhookVerifier(SECRET, OLD_SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                .isValid("t=" + T + ",v1=" + sign(OLD_SECRET, T, BODY), bytes(BODY))).isTrue();
    }

    @Test
    void aTamperedBodyAWrongSecretOrAnotherTimestampIsRefused() {
        String header = "t=" + T + ",v1=" + sign(SECRET, T, BODY);

        assertThat(verifier.isValid(header, bytes(BODY.replace("revoked", "created")))).isFalse();
        assertThat(new WebhookVerifier("whsec_other").withClock(Clock.fixed(NOW, ZoneOffset.UTC)).isValid(header, bytes(BODY)))
                .isFalse();
        assertThat(verifier.isValid(header.replace("t=" + T, "t=" + (T + 1)), bytes(BODY))).isFalse();
        assertThatThrownBy(() -> verifier.check(header, bytes(BODY + " "))).isInstanceOf(WebhookSignatureException.class)
                .hasMessage("no signature matches");
    }

    @Test
    void aStaleOrFutureTimestampIsRefusedEvenWithAValidSignature() {
        long stale = T - 301;
        long future = T + 301;

        assertThatThrownBy(() -> verifier.check("t=" + stale + ",v1=" + sign(SECRET, stale, BODY), bytes(BODY)))
                .isInstanceOf(WebhookSignatureException.class).hasMessageContaining("tolerance");
        assertThat(verifier.isValid("t=" + future + ",v1=" + sign(SECRET, future, BODY), bytes(BODY))).isFalse();
        assertThat(verifier.isValid("t=" + (T - 300) + ",v1=" + sign(SECRET, T - 300, BODY), bytes(BODY))).isTrue();
        assertThat(verifier.withTolerance(Duration.ofMinutes(10))
                .isValid("t=" + stale + ",v1=" + sign(SECRET, stale, BODY), bytes(BODY))).isTrue();
    }

    @Test
    void malformedHeadersAreRefused() {
        String v1 = sign(SECRET, T, BODY);

        assertThat(verifier.isValid(null, bytes(BODY))).isFalse();
        assertThat(verifier.isValid("", bytes(BODY))).isFalse();
        assertThat(verifier.isValid("v1=" + v1, bytes(BODY))).as("no timestamp").isFalse();
        assertThat(verifier.isValid("t=" + T, bytes(BODY))).as("no signature").isFalse();
        assertThat(verifier.isValid("t=" + T + ",t=" + T + ",v1=" + v1, bytes(BODY))).as("two timestamps").isFalse();
        assertThat(verifier.isValid("t=-" + T + ",v1=" + v1, bytes(BODY))).isFalse();
        assertThat(verifier.isValid("t=" + T + ",v1=" + v1.toUpperCase(), bytes(BODY))).as("not the documented hex").isFalse();
        assertThat(verifier.isValid("t=" + T + ",v0=" + v1, bytes(BODY))).as("another scheme").isFalse();
        assertThat(verifier.isValid(" t=" + T + " , v1=" + v1 + " ", bytes(BODY))).as("spaces around parts").isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** docs/webhooks.md: the hex HMAC-SHA256 of {@code t + "." + body}, keyed with the secret's UTF-8 bytes. */
    private static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
