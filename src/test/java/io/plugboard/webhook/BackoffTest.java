package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofHours(6));

    @Test
    void theCeilingDoublesPerFailedAttemptUpToTheMaximum() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(backoff.ceiling(12)).isEqualTo(Duration.ofSeconds(10 * 2048));
        assertThat(backoff.ceiling(13)).isEqualTo(Duration.ofHours(6));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void jitterKeepsEachWaitBetweenHalfTheCeilingAndAllOfIt() {
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < 2_000; i++) {
            long wait = backoff.after(3).toMillis();
            assertThat(wait).isBetween(20_000L, 40_000L);
            lowest = Math.min(lowest, wait);
            highest = Math.max(highest, wait);
        }
        assertThat(highest - lowest).as("the waits are spread, not all the same").isGreaterThan(10_000L);
    }

    @Test
    void threeDaysOfRetriesMeanAboutTwentyAttempts() {
        long elapsed = 0;
        int attempts = 1;
        while (elapsed + backoff.ceiling(attempts).toMillis() <= Duration.ofDays(3).toMillis()) {
            elapsed += backoff.ceiling(attempts).toMillis();
            attempts++;
        }
        assertThat(attempts).isBetween(18, 25);
    }
}
