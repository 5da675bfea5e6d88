package io.plugboard.api;

import io.plugboard.common.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 503} problem+json with Retry-After when the database cannot be reached anywhere in an API request:
 * in the token check (which may read the tenant's key), in the rate limiter, in a controller. Without it a failure
 * in a filter left the API to the container's default 500 page. Each such request is counted in the outage log
 * instead of logging a stack trace.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

    /** Set on a request answered 503 because the database was unavailable (the rate limiter refunds it). */
    static final String MARK = DatabaseUnavailableFilter.class.getName() + ".unavailable";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!DatabaseUnavailable.causedBy(e) || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            Problems.write(response, problem(request, e), Map.of("Retry-After", retryAfter()));
        }
    }

    /** The answer, marking the request and counting it in the outage log. */
    static ProblemDetail problem(HttpServletRequest request, Throwable failure) {
        request.setAttribute(MARK, Boolean.TRUE);
        DatabaseUnavailable.LOG.warn("API requests answered 503, database unavailable", DatabaseUnavailable.reason(failure));
        var problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", DatabaseUnavailable.MESSAGE);
        problem.setTitle("Database unavailable");
        return problem;
    }

    static String retryAfter() {
        return String.valueOf(DatabaseUnavailable.RETRY_AFTER.toSeconds());
    }
}
