package io.plugboard.security;

import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.plugboard.security.ui.LoginView;
import java.util.List;
import java.util.stream.Stream;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.firewall.HttpFirewall;
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

    /** Spring Security's strict firewall, its header checks without regular expressions ({@link HeaderFirewall}). */
    @Bean
    static HttpFirewall httpFirewall() {
        return HeaderFirewall.create();
    }

    @Bean
    static PortalSecurityContextRepository portalSecurityContextRepository(PortalSessions sessions) {
        return new PortalSecurityContextRepository(sessions);
    }

    @Bean
    @Order(1)
    SecurityFilterChain actuatorChain(HttpSecurity http, @Value("${plugboard.metrics.token:}") String metricsToken,
                                      SecurityContextHolderStrategy contexts) throws Exception {
        http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, MetricsScrapeFilter.PATH)
                        .hasAuthority(MetricsScrapeFilter.AUTHORITY)
                        .anyRequest().denyAll())
                .addFilterBefore(new MetricsScrapeFilter(metricsToken, contexts), AuthorizationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.disable());
        return http.build();
    }

    @Bean
    @Order(10)
    SecurityFilterChain portalChain(HttpSecurity http, List<FrameAncestors> embeddable, RequestUtil vaadinRequests,
                                    PortalAccessCheck access, PortalSessions sessions,
                                    PortalSecurityContextRepository contexts,
                                    @Value("${plugboard.public-url}") String publicUrl,
                                    ClientRegistrationRepository ssoProviders,
                                    OAuth2UserService<OidcUserRequest, OidcUser> ssoUsers,
                                    ApplicationEventPublisher events)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/themes/**", "/error", "/connect.js",
                        "/v3/api-docs", "/v3/api-docs/**", "/api-docs", "/swagger-ui/**", "/connectors/schema.json",
                        "/brand-logos/*").permitAll())
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
                // A sign-in that still owes its second factor is kept beside the context, not in it.
                .securityContext(c -> c.securityContextRepository(contexts))
                // Vaadin's own CSRF setup exempts the sign-in form, so any site could post it and sign a visitor in.
                // Here only Vaadin's internal requests are exempt (they carry Vaadin's own token); the login form
                // sends Spring's token, which Vaadin writes into the page's meta tags.
                .csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                .addFilterBefore(new LoginOriginFilter("/login", Stream.of(LoginOriginFilter.configuredOrigin(publicUrl))
                        .filter(Objects::nonNull).collect(java.util.stream.Collectors.toUnmodifiableSet())), CsrfFilter.class)
                // First of the portal's own filters, so that it also answers a sign-in the database cannot check.
                .addFilterBefore(new PortalDatabaseFailureFilter(), LoginOriginFilter.class)
                .addFilterBefore(new PortalAccessFilter(access, sessions), AuthorizationFilter.class)
                .oauth2Login(SingleSignOnLogin.customizer(ssoProviders, ssoUsers, events))
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class)
                        .enableCsrfConfiguration(false));
        return http.build();
    }
}
