package io.plugboard.credential;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Retrying revocations at the provider that did not get through at revoke time.
 *
 * @param initialBackoff wait after the first failed attempt; doubled after each further one (with jitter)
 * @param maxBackoff     the longest wait between two attempts
 * @param maxAge         retry for up to this long after the revocation, then give up (status failed)
 * @param pollInterval   how often a worker looks for revocations due for another attempt
 * @param batch          revocations one worker attempts at once
 * @param workerEnabled  whether this instance retries (off: it only queues)
 */
@ConfigurationProperties("plugboard.revocation")
public record RevocationProperties(Duration initialBackoff, Duration maxBackoff, Duration maxAge,
                                   Duration pollInterval, int batch, boolean workerEnabled) {

    public RevocationProperties {
        for (Duration positive : new Duration[] {initialBackoff, maxBackoff, maxAge, pollInterval}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("plugboard.revocation durations must be positive");
            }
        }
        if (batch < 1) {
            throw new IllegalArgumentException("plugboard.revocation.batch must be at least 1");
        }
    }

    /**
     * The wait after {@code failedAttempts} (1 = the first attempt failed): {@code initial * 2^(failed - 1)} up to
     * the maximum, of which a random half is taken off, so a provider that comes back is not hit by every queued
     * revocation at once (the webhook outbox waits the same way).
     */
    Duration backoff(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long ceiling = initialBackoff.toMillis();
        for (int i = 0; i < doublings && ceiling < maxBackoff.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxBackoff.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(ceiling - half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
