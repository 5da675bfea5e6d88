package io.plugboard.sandbox;

import io.plugboard.tenant.ConditionalOnDemoMode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Outside demo mode the sandbox does not exist, and {@code /sandbox/**} says so with a plain 404 —
 * not the portal's sign-in redirect, which would suggest something is there. The only sandbox bean
 * then.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnDemoMode(false)
class SandboxAbsentConfiguration {

    @Bean
    @Order(3)
    SecurityFilterChain sandboxAbsentChain(HttpSecurity http) throws Exception {
        http.securityMatcher(SandboxUrls.PATH + "/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().denyAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> { })
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> response.sendError(HttpServletResponse.SC_NOT_FOUND))
                        .accessDeniedHandler((request, response, ex) -> response.sendError(HttpServletResponse.SC_NOT_FOUND)));
        return http.build();
    }
}
