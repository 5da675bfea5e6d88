package io.plugboard.api;

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
 */
class ProxyRequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Plugboard-Request-Id";
    static final String ATTRIBUTE = ProxyRequestIdFilter.class.getName() + ".id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = ProxyService.newRequestId();
        request.setAttribute(ATTRIBUTE, requestId);
        response.setHeader(HEADER, requestId);
        chain.doFilter(request, response);
    }
}
