package io.plugboard.api;

import io.plugboard.observability.CallTracing;
import io.plugboard.proxy.ProxyService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every proxy request its id before anything can refuse it (firewall, token, rate limit), so every
 * answer of {@code /api/v1/proxy/**} carries {@code X-Plugboard-Request-Id}; {@link ProxyApi} uses the same id.
 * While tracing is on it also opens the call's root span, so the token check is part of the call's trace, and a
 * sampled call's answer carries {@code X-Plugboard-Trace-Id}.
 */
class ProxyRequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Plugboard-Request-Id";
    static final String TRACE_HEADER = "X-Plugboard-Trace-Id";
    static final String ATTRIBUTE = ProxyRequestIdFilter.class.getName() + ".id";

    private final CallTracing tracing;

    ProxyRequestIdFilter(CallTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = ProxyService.newRequestId();
        request.setAttribute(ATTRIBUTE, requestId);
        response.setHeader(HEADER, requestId);
        CallTracing.Call call = tracing.start(request.getMethod());
        if (call == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            String traceId = call.traceId();
            if (traceId != null) {
                response.setHeader(TRACE_HEADER, traceId);
            }
            chain.doFilter(request, response);
        } finally {
            call.end(response.getStatus());
        }
    }
}
