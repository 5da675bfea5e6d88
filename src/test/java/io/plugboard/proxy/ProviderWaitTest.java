package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProviderWaitTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-08T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertThat(wait(Map.of("Retry-After", "120"))).contains(Duration.ofSeconds(120));
        assertThat(wait(Map.of("Retry-After", "Tue, 08 Dec 2026 10:00:30 GMT"))).contains(Duration.ofSeconds(30));
        assertThat(wait(Map.of("Retry-After", "Tue, 08 Dec 2026 09:00:00 GMT"))).contains(Duration.ZERO);
        assertThat(wait(Map.of("Retry-After", "-5"))).contains(Duration.ZERO);
    }

    @Test
    void resetHeadersInSecondsFromNowOrEpochSeconds() {
        // Pipedrive: x-ratelimit-reset, the seconds left in its 2-second window
        // (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting).
        assertThat(wait(Map.of("x-ratelimit-limit", "40", "x-ratelimit-remaining", "0", "x-ratelimit-reset", "2")))
                .contains(Duration.ofSeconds(2));
        assertThat(wait(Map.of("RateLimit-Reset", "0.5"))).contains(Duration.ofMillis(500));
        assertThat(wait(Map.of("X-RateLimit-Reset", String.valueOf(CLOCK.instant().getEpochSecond() + 45))))
                .contains(Duration.ofSeconds(45));
        assertThat(wait(Map.of("Retry-After", "7", "X-RateLimit-Reset", "60"))).as("Retry-After first")
                .contains(Duration.ofSeconds(7));
    }

    @Test
    void hubSpotsWindowOnceNoneOfItsRequestsRemain() {
        // HubSpot sends no Retry-After (https://developers.hubspot.com/docs/api/usage-details).
        assertThat(wait(Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Max", "100",
                "X-HubSpot-RateLimit-Remaining", "0"))).contains(Duration.ofSeconds(10));
        assertThat(wait(Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Max", "100",
                "X-HubSpot-RateLimit-Remaining", "37"))).as("a daily limit, not the window's").isEmpty();
    }

    @Test
    void nothingUsableIsNoWait() {
        assertThat(wait(Map.of())).isEmpty();
        assertThat(wait(Map.of("Retry-After", "soon", "X-RateLimit-Reset", "later"))).isEmpty();
        assertThat(wait(Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", "ten", "X-HubSpot-RateLimit-Remaining",
                "0"))).isEmpty();
    }

    private static Optional<Duration> wait(Map<String, String> headers) {
        var ignoringCase = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        ignoringCase.putAll(headers);
        return ProviderWait.requested(ignoringCase::get, CLOCK);
    }
}
