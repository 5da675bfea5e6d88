package io.plugboard.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.plugboard.security.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket per tenant and instance: {@code requestsPerSecond} sustained, {@code burst} at once.
 * Over the limit answers 429 with Retry-After. A request answered 503 because the database was unavailable is not
 * charged, and one that waited for the database before it got here is not refused (see {@link #waitedForUs}).
 */
class ApiRateLimitFilter extends OncePerRequestFilter {

    /** Set by the token check on a request whose client key read waited for the database. */
    static final String WAITED_FOR_DATABASE = ApiRateLimitFilter.class.getName() + ".waitedForDatabase";

    private final ApiProperties.RateLimit limit;
    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    ApiRateLimitFilter(ApiProperties.RateLimit limit) {
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) {
            Bucket bucket = buckets.get(principal.tenantId(), id -> Bucket.builder()
                    .addLimit(l -> l.capacity(limit.burst()).refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
                    .build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            response.setHeader("RateLimit-Remaining", String.valueOf(probe.getRemainingTokens()));
            if (!probe.isConsumed() && !waitedForUs(request)) {
                long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds()
                        + (probe.getNanosToWaitForRefill() % 1_000_000_000L == 0 ? 0 : 1));
                var problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                        "Too many requests for this tenant; retry after " + seconds + " s.");
                Problems.write(response, problem, Map.of("Retry-After", String.valueOf(seconds)));
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                // Answered 503 because the database was unavailable: nothing was done, so nothing is charged.
                if (probe.isConsumed() && request.getAttribute(DatabaseUnavailableFilter.MARK) != null) {
                    bucket.addTokens(1);
                }
            }
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Whether the token check had to read the client's key and that read waited for the database
     * ({@link JwtVerifier#KEY_READ_WAITED}). Such requests arrived while the client kept within its rate; when the
     * database comes back they all pass the token check at once, and charging them then would answer 429 to a client
     * that never sent more than its rate. They pass uncharged when the bucket is empty. Only a key read counts, not
     * time spent elsewhere: a request slowed by an overloaded machine is still charged.
     */
    private static boolean waitedForUs(HttpServletRequest request) {
        return request.getAttribute(WAITED_FOR_DATABASE) != null;
    }
}
