package io.plugboard.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.plugboard.security.ui.LoginView;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;

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
     * No observation of each filter, authentication and authorization: they are exported nowhere, and wrapping
     * every filter of every request showed up in the API's profile (docs/benchmarks.md).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

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
    SecurityFilterChain portalChain(HttpSecurity http, List<FrameAncestors> embeddable) throws Exception {
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/themes/**", "/error", "/connect.js",
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
                    headers.frameOptions(frame -> frame.disable())
                            .addHeaderWriter(new PortalHeaderWriter(embeddable));
                })
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class));
        return http.build();
    }
}
