package io.plugboard.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a call again and how long to wait: exponential backoff with full jitter, or exactly what
 * the provider asked for in Retry-After or a rate-limit reset header.
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

    /** The wait the provider asked for, if any: Retry-After (seconds or HTTP date), then rate-limit reset headers. */
    static Optional<Duration> requested(Function<String, @Nullable String> header, Clock clock) {
        Optional<String> retryAfter = Optional.ofNullable(header.apply("Retry-After"));
        if (retryAfter.isPresent()) {
            String value = retryAfter.get().strip();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
                } catch (DateTimeParseException ignored) {
                    // fall through to the reset headers
                }
            }
        }
        for (String name : new String[] {"RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset"}) {
            Optional<String> reset = Optional.ofNullable(header.apply(name));
            if (reset.isPresent()) {
                try {
                    double value = Double.parseDouble(reset.get().strip());
                    // Large values are epoch seconds (GitHub); small ones are seconds from now.
                    return Optional.of(value > 1_000_000_000d
                            ? nonNegative(Duration.between(clock.instant(), Instant.ofEpochSecond((long) value)))
                            : Duration.ofMillis((long) (value * 1000)));
                } catch (NumberFormatException ignored) {
                    // not a number: ignore it
                }
            }
        }
        return Optional.empty();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
