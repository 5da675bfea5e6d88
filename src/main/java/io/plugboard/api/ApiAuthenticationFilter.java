package io.plugboard.api;

import io.plugboard.observability.CallTracing;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.AppRoles;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code /api/**} requests by their bearer JWT; a failure answers 401 with the rule that failed. */
class ApiAuthenticationFilter extends OncePerRequestFilter {

    private static final List<SimpleGrantedAuthority> END_USER =
            List.of(new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT));
    private static final List<SimpleGrantedAuthority> TENANT_WIDE = List.of(
            new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT),
            new SimpleGrantedAuthority("ROLE_" + AppRoles.API_TENANT));

    private final JwtVerifier verifier;
    private final CallTracing tracing;

    ApiAuthenticationFilter(JwtVerifier verifier, CallTracing tracing) {
        this.verifier = verifier;
        this.tracing = tracing;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        try {
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                throw new InvalidTokenException("authorization", "Send the token as 'Authorization: Bearer <JWT>'.");
            }
            ApiPrincipal principal = tracing.step(CallTracing.TOKEN_CHECK, () -> verifier.verify(header.substring(7).strip(),
                    () -> request.setAttribute(ApiRateLimitFilter.WAITED_FOR_DATABASE, Boolean.TRUE)));
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(principal, null,
                            principal.endUserId() == null ? TENANT_WIDE : END_USER));
        } catch (InvalidTokenException e) {
            var problem = Problems.of(HttpStatus.UNAUTHORIZED, "invalid-token", e.getMessage());
            problem.setTitle("Invalid token");
            problem.setProperty("rule", e.rule());
            Problems.write(response, problem, Map.of(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\"" + e.rule() + "\""));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
