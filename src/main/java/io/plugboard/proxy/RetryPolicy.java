package io.plugboard.proxy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a call again and how long to wait: exponential backoff with full jitter, unless the provider asked
 * for a wait ({@link ProviderWait}).
 */
final class RetryPolicy {

    static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);
    private static final Duration BASE = Duration.ofMillis(200);
    private static final Duration CAP = Duration.ofSeconds(5);

    private RetryPolicy() {
    }

    static Duration backoff(int attempt) {
        long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 10));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
