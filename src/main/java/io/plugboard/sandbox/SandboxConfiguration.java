package io.plugboard.sandbox;

import com.nimbusds.jose.jwk.source.JWKSource;
import io.plugboard.connector.TrustedHttpOrigins;
import io.plugboard.tenant.ConditionalOnDemoMode;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * The sandbox provider's two filter chains, both before the portal's and both limited to
 * {@code /sandbox/**}: the contacts API as an OAuth 2.0 resource server (stateless, bearer JWT), and
 * the authorization server with its sign-in and consent pages.
 *
 * <p>The sandbox shares the servlet session with the portal (one cookie per host), so everything it
 * keeps there has its own attribute name: signing in to the sandbox never signs anyone in to, or out
 * of, the portal. Its sign-in has its own authentication provider and no parent: a sandbox user is
 * never checked against portal users, and a portal user is never a sandbox user.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnDemoMode
class SandboxConfiguration {

    private static final String SESSION_PREFIX = "plugboard.sandbox.";
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @Bean
    SandboxUrls sandboxUrls(@Value("${plugboard.public-url}") String publicUrl) {
        return new SandboxUrls(publicUrl);
    }

    /** Lets the demo tenant's custom connector use plain http to Plugboard's own address (demo mode only). */
    @Bean
    TrustedHttpOrigins sandboxHttpOrigin(SandboxUrls urls) {
        return urls.plainHttp() ? new TrustedHttpOrigins(Set.of(urls.publicUrl())) : TrustedHttpOrigins.NONE;
    }

    @Bean
    SandboxKeys sandboxKeys() {
        return new SandboxKeys();
    }

    @Bean
    AuthorizationServerSettings sandboxServerSettings(SandboxUrls urls) {
        var settings = AuthorizationServerSettings.builder();
        if (urls.usable()) {
            settings.issuer(urls.issuer());  // else (a misconfigured public URL) start anyway; SandboxConnector logs it
        }
        return settings
                .authorizationEndpoint(SandboxUrls.AUTHORIZE)
                .tokenEndpoint(SandboxUrls.TOKEN)
                .tokenRevocationEndpoint(SandboxUrls.REVOKE)
                .tokenIntrospectionEndpoint(SandboxUrls.INTROSPECT)
                .jwkSetEndpoint(SandboxUrls.JWKS)
                .pushedAuthorizationRequestEndpoint(SandboxUrls.PATH + "/oauth2/par")
                .deviceAuthorizationEndpoint(SandboxUrls.PATH + "/oauth2/device_authorization")
                .deviceVerificationEndpoint(SandboxUrls.PATH + "/oauth2/device_verification")
                .clientRegistrationEndpoint(SandboxUrls.PATH + "/oauth2/register")
                .oidcClientRegistrationEndpoint(SandboxUrls.PATH + "/connect/register")
                .oidcUserInfoEndpoint(SandboxUrls.PATH + "/userinfo")
                .oidcLogoutEndpoint(SandboxUrls.PATH + "/connect/logout")
                .build();
    }

    /** Codes, access and refresh tokens: in memory, so a restart signs every sandbox connection out. */
    @Bean
    OAuth2AuthorizationService sandboxAuthorizations() {
        return new InMemoryOAuth2AuthorizationService();
    }

    @Bean
    OAuth2AuthorizationConsentService sandboxConsents() {
        return new InMemoryOAuth2AuthorizationConsentService();
    }

    @Bean
    @Order(3)
    SecurityFilterChain sandboxApiChain(HttpSecurity http, SandboxKeys keys, SandboxUrls urls,
                                        OAuth2AuthorizationService authorizations) throws Exception {
        JwtDecoder decoder = keys.decoder(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(urls.issuer()), live(authorizations)));
        var bearer = new ProviderManager(new JwtAuthenticationProvider(decoder));
        // RFC 9728's resource_metadata hint, pointing at the sandbox's own document (not /.well-known at the root).
        var challenge = new BearerTokenAuthenticationEntryPoint();
        challenge.setResourceMetadataParameterResolver(request -> urls.publicUrl() + SandboxUrls.API_METADATA);
        http.securityMatcher(SandboxUrls.API + "/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, SandboxUrls.API_METADATA).permitAll()
                        .requestMatchers(HttpMethod.GET, SandboxUrls.API + "/contacts", SandboxUrls.API + "/contacts/*")
                        .hasAuthority("SCOPE_contacts.read")
                        .requestMatchers(HttpMethod.POST, SandboxUrls.API + "/contacts").hasAuthority("SCOPE_contacts.write")
                        .requestMatchers(HttpMethod.PATCH, SandboxUrls.API + "/contacts/*").hasAuthority("SCOPE_contacts.write")
                        // Notes, tasks and users belong with the contacts they are about: the same scopes.
                        .requestMatchers(HttpMethod.GET, SandboxUrls.API + "/notes", SandboxUrls.API + "/tasks",
                                SandboxUrls.API + "/users").hasAuthority("SCOPE_contacts.read")
                        .requestMatchers(HttpMethod.POST, SandboxUrls.API + "/notes", SandboxUrls.API + "/tasks")
                        .hasAuthority("SCOPE_contacts.write")
                        .requestMatchers(HttpMethod.PATCH, SandboxUrls.API + "/tasks/*").hasAuthority("SCOPE_contacts.write")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resource -> resource.authenticationEntryPoint(challenge)
                        .jwt(jwt -> jwt.authenticationManager(bearer)))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable());
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain sandboxServerChain(HttpSecurity http, SandboxClients clients, SandboxKeys keys,
                                           OAuth2AuthorizationService authorizations,
                                           OAuth2AuthorizationConsentService consents,
                                           AuthorizationServerSettings settings) throws Exception {
        var contexts = new HttpSessionSecurityContextRepository();
        contexts.setSpringSecurityContextKey(SESSION_PREFIX + "SECURITY_CONTEXT");
        var csrfTokens = new HttpSessionCsrfTokenRepository();
        csrfTokens.setSessionAttributeName(SESSION_PREFIX + "CSRF_TOKEN");
        var savedRequests = new HttpSessionRequestCache();
        savedRequests.setSessionAttrName(SESSION_PREFIX + "SAVED_REQUEST");
        // No parent: otherwise a sandbox sign-in the sandbox refuses would be tried as a portal sign-in.
        http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(null);
        http.setSharedObject(JWKSource.class, keys.jwkSource());
        http.securityMatcher(SandboxUrls.PATH + "/**")
                .oauth2AuthorizationServer(server -> server
                        .registeredClientRepository(clients)
                        .authorizationService(authorizations)
                        .authorizationConsentService(consents)
                        .authorizationServerSettings(settings)
                        .authorizationEndpoint(endpoint -> endpoint.consentPage(SandboxUrls.CONSENT)))
                .authenticationProvider(SandboxUsers.provider())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(SandboxUrls.PATH, SandboxUrls.PATH + "/", SandboxUrls.LOGIN).permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage(SandboxUrls.LOGIN).failureUrl(SandboxUrls.LOGIN + "?error")
                        .defaultSuccessUrl(SandboxUrls.PATH + "/", false))
                .logout(logout -> logout.logoutUrl(SandboxUrls.LOGOUT).logoutSuccessUrl(SandboxUrls.LOGIN + "?signed-out")
                        .invalidateHttpSession(false))
                .securityContext(context -> context.securityContextRepository(contexts))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .requestCache(cache -> cache.requestCache(savedRequests))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)));
        return http.build();
    }

    /**
     * JWTs are checked offline, so a revoked or refreshed-away token would stay valid until it expires.
     * The sandbox is also the issuer, so it asks its own store: the token must still be the live access
     * token of its authorization.
     */
    private static OAuth2TokenValidator<Jwt> live(OAuth2AuthorizationService authorizations) {
        return jwt -> {
            OAuth2Authorization authorization = authorizations.findByToken(jwt.getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
            var token = authorization == null ? null : authorization.getAccessToken();
            return token != null && token.isActive() && token.getToken().getTokenValue().equals(jwt.getTokenValue())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    "The access token was revoked or replaced.", null));
        };
    }
}
