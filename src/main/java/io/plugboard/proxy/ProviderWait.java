package io.plugboard.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How long a provider's answer asked its caller to wait before calling again: the proxy's retries and a sync run
 * slowed by a rate limit both go by it.
 */
public final class ProviderWait {

    private static final String[] RESET_HEADERS = {"RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset"};

    private ProviderWait() {
    }

    /**
     * Retry-After (seconds or an HTTP date), else a rate-limit reset header (seconds from now, or epoch seconds),
     * else HubSpot's window: it sends no Retry-After, but with none of the window's requests remaining
     * ({@code X-HubSpot-RateLimit-Remaining: 0}) the window's length is the longest the limit can last
     * (https://developers.hubspot.com/docs/api/usage-details). {@code header} looks a header up by name,
     * whatever its case.
     */
    public static Optional<Duration> requested(Function<String, @Nullable String> header, Clock clock) {
        String retryAfter = header.apply("Retry-After");
        if (retryAfter != null) {
            String value = retryAfter.strip();
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
        for (String name : RESET_HEADERS) {
            String reset = header.apply(name);
            if (reset != null) {
                try {
                    double value = Double.parseDouble(reset.strip());
                    // Large values are epoch seconds (GitHub); small ones are seconds from now.
                    return Optional.of(value > 1_000_000_000d
                            ? nonNegative(Duration.between(clock.instant(), Instant.ofEpochSecond((long) value)))
                            : Duration.ofMillis((long) (value * 1000)));
                } catch (NumberFormatException ignored) {
                    // not a number: ignore it
                }
            }
        }
        return hubSpotWindow(header);
    }

    private static Optional<Duration> hubSpotWindow(Function<String, @Nullable String> header) {
        String remaining = header.apply("X-HubSpot-RateLimit-Remaining");
        String window = header.apply("X-HubSpot-RateLimit-Interval-Milliseconds");
        if (remaining == null || window == null || !remaining.strip().equals("0")) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseLong(window.strip());
            return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
