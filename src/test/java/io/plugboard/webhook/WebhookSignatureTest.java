package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"credential.created\",\"data\":{\"note\":\"é ✓\"}}";
    private final Instant now = Instant.parse("2025-06-01T12:00:00Z");
    private final long t = now.getEpochSecond();

    @Test
    void theHeaderCarriesTheTimestampAndAnHmacOfTimestampDotBody() throws Exception {
        String secret = SigningSecrets.generate();
        String header = WebhookSignature.header(t, List.of(secret), BODY);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + BODY).getBytes(StandardCharsets.UTF_8)));
        assertThat(header).isEqualTo("t=" + t + ",v1=" + expected);
        assertThat(expected).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void theDocumentedVerifierAcceptsAGenuineSignatureAndRejectsTamperingWrongSecretsAndOldTimestamps() {
        String secret = SigningSecrets.generate();
        String header = WebhookSignature.header(t, List.of(secret), BODY);

        assertThat(DocumentedVerifier.verify(header, BODY, secret, now)).isTrue();
        assertThat(DocumentedVerifier.verify(header, BODY, secret, now.plusSeconds(299))).as("inside the window").isTrue();
        assertThat(DocumentedVerifier.verify(header, BODY.replace("created", "revoked"), secret, now)).as("tampered body")
                .isFalse();
        assertThat(DocumentedVerifier.verify(header, BODY, SigningSecrets.generate(), now)).as("wrong secret").isFalse();
        assertThat(DocumentedVerifier.verify(header, BODY, secret, now.plusSeconds(301))).as("replayed too late").isFalse();
        String replayedWithNewTime = header.replace("t=" + t, "t=" + (t + 3600));
        assertThat(DocumentedVerifier.verify(replayedWithNewTime, BODY, secret, now.plusSeconds(3600)))
                .as("a fresh timestamp on an old signature").isFalse();
    }

    @Test
    void duringARotationOverlapBothSecretsSignAndEitherVerifies() {
        String current = SigningSecrets.generate();
        String previous = SigningSecrets.generate();
        String header = WebhookSignature.header(t, List.of(current, previous), BODY);

        assertThat(header.split(",")).hasSize(3).startsWith("t=" + t);
        assertThat(header).containsPattern("^t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$");
        assertThat(DocumentedVerifier.verify(header, BODY, current, now)).isTrue();
        assertThat(DocumentedVerifier.verify(header, BODY, previous, now)).isTrue();
        assertThat(DocumentedVerifier.verify(header, BODY, SigningSecrets.generate(), now)).isFalse();
    }

    @Test
    void secretsAreLongRandomAndPrefixed() {
        String a = SigningSecrets.generate();
        assertThat(a).startsWith("whsec_").hasSize("whsec_".length() + 43).isNotEqualTo(SigningSecrets.generate());
        assertThatThrownBy(() -> WebhookSignature.header(t, List.of(), BODY)).isInstanceOf(IllegalArgumentException.class);
    }
}
