package io.plugboard.api;

import io.plugboard.observability.CallTracing;
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

/** The REST API's own filter chain: stateless, bearer JWT, no session, no CSRF (no cookies), problem+json. */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

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
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole("API_CLIENT"))
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
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This token may not do that."), Map.of())));
        return http.build();
    }
}
