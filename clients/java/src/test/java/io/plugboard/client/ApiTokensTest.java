package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The JWT as docs/api.md specifies it: HS512 over the client secret's UTF-8 bytes, iss/sub/iat/exp. */
class ApiTokensTest {

    private static final String SECRET = "s3cret-ä-0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.750Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiTokens tokens = new ApiTokens("pb_client", SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void theTokenIsAnHs512JwtWithTheDocumentedClaims() throws Exception {
        String[] parts = tokens.mint("tenant").split("\\.");

        assertThat(parts).hasSize(3);
        JsonNode header = decode(parts[0]);
        assertThat(header.path("alg").asText()).isEqualTo("HS512");
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        JsonNode claims = decode(parts[1]);
        assertThat(claims.path("iss").asText()).isEqualTo("pb_client");
        assertThat(claims.path("sub").asText()).isEqualTo("tenant");
        assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(15 * 60);
        assertThat(claims.size()).isEqualTo(4);
    }

    @Test
    void theSignatureIsHmacSha512OfHeaderAndPayloadKeyedWithTheSecretsUtf8Bytes() throws Exception {
        String token = tokens.mint("agent-42");
        String signingInput = token.substring(0, token.lastIndexOf('.'));
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

        assertThat(token.substring(token.lastIndexOf('.') + 1)).isEqualTo(expected);
        assertThat(token).doesNotContain("=", "+", "/");
    }

    @Test
    void aClientReusesItsTokenUntilAMinuteBeforeItExpires() {
        var clock = new MutableClock(NOW);
        var source = new TokenSource(new ApiTokens("pb_client", SECRET, clock), "tenant");
        String first = source.token();

        clock.advance(Duration.ofMinutes(13).plusSeconds(59));
        assertThat(source.token()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        String second = source.token();
        assertThat(second).isNotEqualTo(first);
        assertThat(decode(second.split("\\.")[1]).path("iat").asLong()).isEqualTo(NOW.getEpochSecond() + 14 * 60);
    }

    @Test
    void anEndUserClientCannotBeTheWholeTenant() {
        var client = PlugboardClient.builder().baseUrl("http://localhost:1").clientId("pb").clientSecret(SECRET).build();

        assertThat(client.subject()).isEqualTo("tenant");
        assertThat(client.forEndUser("agent-42").subject()).isEqualTo("agent-42");
        assertThatThrownBy(() -> client.forEndUser("tenant")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.forEndUser("Tenant:all")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.forEndUser(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSettingsAreReportedWhenTheClientIsBuilt() {
        assertThatThrownBy(() -> PlugboardClient.builder().baseUrl("http://localhost:1").clientId("pb").build())
                .hasMessageContaining("clientSecret");
        assertThatThrownBy(() -> PlugboardClient.builder().baseUrl("localhost:8080").clientId("pb").clientSecret(SECRET)
                .build()).hasMessageContaining("baseUrl");
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
