package io.plugboard.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.plugboard.security.ui.LoginView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/*
 * Method security is @PreAuthorize on services only. JSR-250 (@RolesAllowed, @PermitAll) stays off:
 * those annotations are Vaadin's view access rules, and with jsr250Enabled Spring wraps every
 * annotated view and layout in a CGLIB proxy when Vaadin creates it (final MainLayout cannot be
 * proxied at all, so every signed-in page failed). ArchitectureTest keeps them on views only.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /**
     * Vaadin needs 'unsafe-inline' styles and eval-free inline bootstrap scripts; everything else is
     * same-origin only, and the portal may not be framed.
     */
    static final String PORTAL_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().denyAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.disable());
        return http.build();
    }

    @Bean
    @Order(10)
    SecurityFilterChain portalChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/themes/**", "/error",
                        "/v3/api-docs", "/v3/api-docs/**", "/api-docs", "/swagger-ui/**").permitAll())
                .headers(headers -> {
                    // Vaadin writes its index page without triggering the on-commit header hook.
                    headers.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                        @Override
                        public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                    headers.contentSecurityPolicy(csp -> csp.policyDirectives(PORTAL_CSP))
                            .frameOptions(frame -> frame.deny())
                            .referrerPolicy(ref -> ref.policy(
                                    ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));
                })
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class));
        return http.build();
    }
}
