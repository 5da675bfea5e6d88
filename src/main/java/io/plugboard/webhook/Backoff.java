package io.plugboard.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts: the initial backoff doubled per failed attempt up to the maximum, of which a random
 * half is taken off ("equal jitter"), so receivers that come back are not hit by every queued delivery at once.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** The wait after {@code failedAttempts} (1 = the first attempt failed): between half the ceiling and all of it. */
    Duration after(int failedAttempts) {
        long ceiling = ceiling(failedAttempts).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(ceiling - half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** The un-jittered wait: {@code initial * 2^(failedAttempts - 1)}, at most {@code max}. */
    Duration ceiling(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
