package io.plugboard.api;

import io.plugboard.observability.CallTracing;
import io.plugboard.security.AppRoles;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The REST API's own filter chain, also in front of the MCP server at {@code /mcp}: stateless, bearer JWT, no session,
 * no CSRF (no cookies), problem+json.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    /** The management API: what a tenant admin configures, for tenant-wide tokens only (never an end user's). */
    static final String[] MANAGEMENT_PATHS = {"/api/v1/integrations/**", "/api/v1/custom-connectors/**",
            "/api/v1/webhooks/**", "/api/v1/audit/**", "/api/v1/credentials/*/sync/**",
            "/api/v1/sync/sql-login/**",
            "/api/v1/brand", "/api/v1/brand/**"};

    /** Before Spring Security, so that even a refused proxy request is answered with its request id. */
    @Bean
    FilterRegistrationBean<ProxyRequestIdFilter> proxyRequestIdFilter(CallTracing tracing) {
        var registration = new FilterRegistrationBean<>(new ProxyRequestIdFilter(tracing));
        registration.addUrlPatterns(ProxyApi.PREFIX + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, JwtVerifier verifier, ApiProperties properties,
                                 CallTracing tracing) throws Exception {
        // The MCP server (io.plugboard.mcp) is the same API by another protocol: same tokens, limits and refusals.
        http.securityMatcher("/api/**", "/mcp")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(MANAGEMENT_PATHS).hasRole(AppRoles.API_TENANT)
                        .anyRequest().hasRole(AppRoles.API_CLIENT))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                // A proxied answer keeps the provider's X-Frame-Options (the default writer would overwrite it);
                // every other API answer still gets DENY.
                .headers(headers -> headers.cacheControl(c -> { }).frameOptions(frame -> frame.disable())
                        .addHeaderWriter((request, response) -> {
                            if (!response.containsHeader("X-Frame-Options")) {
                                response.setHeader("X-Frame-Options", "DENY");
                            }
                        }))
                .addFilterBefore(new ApiBodyLimitFilter(properties.maxBodyBytes()), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new ApiAuthenticationFilter(verifier, tracing), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new DatabaseUnavailableFilter(), ApiAuthenticationFilter.class)
                .addFilterAfter(new ApiRateLimitFilter(properties.rateLimit()), ApiAuthenticationFilter.class)
                .addFilterAfter(new ApiMediaTypeFilter(), ApiRateLimitFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> Problems.write(response,
                                Problems.of(HttpStatus.UNAUTHORIZED, "invalid-token", "A bearer JWT is required."), Map.of()))
                        .accessDeniedHandler((request, response, ex) -> Problems.write(response,
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", forbidden(request)), Map.of())));
        return http.build();
    }

    private static final List<RequestMatcher> MANAGEMENT = Arrays.stream(MANAGEMENT_PATHS)
            .<RequestMatcher>map(path -> PathPatternRequestMatcher.withDefaults().matcher(path)).toList();

    private static String forbidden(HttpServletRequest request) {
        return MANAGEMENT.stream().anyMatch(m -> m.matches(request))
                ? "An end user's token may not manage the tenant; use a token whose subject is 'tenant'."
                : "This token may not do that.";
    }
}
