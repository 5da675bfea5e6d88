package io.plugboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the Prometheus scrape with the bearer token of {@code plugboard.metrics.token}. Without a token the
 * endpoint does not exist for anyone (404), so a forgotten setting never leaves metrics readable; a missing or
 * wrong token gets 401. The scraper is signed in only for this request, with the one authority the actuator
 * chain asks for.
 */
final class MetricsScrapeFilter extends OncePerRequestFilter {

    static final String PATH = "/actuator/prometheus";
    static final String AUTHORITY = "METRICS_SCRAPE";

    private static final String BEARER = "Bearer ";

    private final byte @Nullable [] tokenDigest;
    private final SecurityContextHolderStrategy contexts;

    MetricsScrapeFilter(@Nullable String token, SecurityContextHolderStrategy contexts) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.strip());
        this.contexts = contexts;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.equals(PATH) && !path.startsWith(PATH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (tokenDigest == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        // Digests compare in constant time and at a fixed length, so timing tells nothing about the token.
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !MessageDigest.isEqual(tokenDigest, sha256(header.substring(BEARER.length()).strip()))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        contexts.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                "metrics-scraper", null, List.of(new SimpleGrantedAuthority(AUTHORITY)))));
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
