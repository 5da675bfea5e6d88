package io.plugboard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Portal sign-in through an OpenID Connect provider, with Spring Security's OAuth 2.0 login: authorization code with
 * PKCE, state and nonce kept in the session and checked on the way back, the ID token's signature, issuer, audience
 * and expiry checked. The user service decides who the ID token's person is in Plugboard (or refuses); once signed in
 * the session holds that {@link PortalPrincipal} only, so the access check, support switch and sign-out work as for
 * a password sign-in.
 */
final class SingleSignOnLogin {

    static final String AUTHORIZATION_BASE = "/oauth2/authorization";

    private SingleSignOnLogin() {
    }

    static Customizer<OAuth2LoginConfigurer<HttpSecurity>> customizer(
            ClientRegistrationRepository registrations, OAuth2UserService<OidcUserRequest, OidcUser> users,
            ApplicationEventPublisher events) {
        return oauth -> oauth.loginPage("/login")
                .clientRegistrationRepository(registrations)
                .authorizationEndpoint(a -> a.baseUri(AUTHORIZATION_BASE)
                        .authorizationRequestResolver(new LoginHintResolver(registrations)))
                .authorizedClientRepository(new NoAuthorizedClients())
                .userInfoEndpoint(u -> u.oidcUserService(users))
                .successHandler(new PortalSessionSuccessHandler())
                .failureHandler(new ProtocolFailureHandler(events));
    }

    /**
     * Back to the sign-in page, which says what went wrong; a refusal of the protocol itself is announced for the
     * audit trail (Plugboard's own refusals, after the provider answered, were audited where they were decided).
     */
    private static final class ProtocolFailureHandler extends SimpleUrlAuthenticationFailureHandler {

        private static final String DECIDED_BY_PLUGBOARD = "plugboard_sign_in_refused";
        private final ApplicationEventPublisher events;

        ProtocolFailureHandler(ApplicationEventPublisher events) {
            super("/login?error");
            this.events = events;
        }

        @Override
        public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                            AuthenticationException exception)
                throws IOException, jakarta.servlet.ServletException {
            String error = exception instanceof OAuth2AuthenticationException oauth
                    ? oauth.getError().getErrorCode() : "authentication_failed";
            if (!DECIDED_BY_PLUGBOARD.equals(error)) {
                String uri = request.getRequestURI();
                String registrationId = uri.contains("/login/oauth2/code/")
                        ? uri.substring(uri.lastIndexOf('/') + 1) : null;
                events.publishEvent(new SingleSignOnFailure(registrationId, error, request.getRemoteAddr()));
            }
            super.onAuthenticationFailure(request, response, exception);
        }
    }

    /**
     * PKCE on every request, confidential client or not, and the e-mail typed on the sign-in page passed on as
     * {@code login_hint} so the provider need not ask for it again.
     */
    private static final class LoginHintResolver implements OAuth2AuthorizationRequestResolver {

        private final DefaultOAuth2AuthorizationRequestResolver delegate;

        LoginHintResolver(ClientRegistrationRepository registrations) {
            this.delegate = new DefaultOAuth2AuthorizationRequestResolver(registrations, AUTHORIZATION_BASE);
            this.delegate.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        }

        /**
         * A provider that is not configured (any more) or cannot be read, or a query Tomcat cannot decode (it throws
         * an IllegalStateException when the parameters are read), resolves to nothing rather than an error page: the
         * request goes on like any other unknown path, and the sign-in page says why when asked again.
         */
        @Override
        public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
            try {
                return withHint(request, delegate.resolve(request));
            } catch (IllegalArgumentException | IllegalStateException unusable) {
                return null;
            }
        }

        @Override
        public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
            try {
                return withHint(request, delegate.resolve(request, registrationId));
            } catch (IllegalArgumentException | IllegalStateException unusable) {
                return null;
            }
        }

        private static @Nullable OAuth2AuthorizationRequest withHint(HttpServletRequest request,
                                                                     @Nullable OAuth2AuthorizationRequest resolved) {
            if (resolved == null) {
                // Every request passes through here: only a sign-in's own request has its parameters read, so a
                // malformed query elsewhere (a connect callback's) is left to the page it is for.
                return null;
            }
            String hint = request.getParameter("login_hint");
            if (hint == null || hint.isBlank() || hint.length() > 254) {
                return resolved;
            }
            return OAuth2AuthorizationRequest.from(resolved)
                    .additionalParameters(p -> p.put("login_hint", hint.strip().toLowerCase(Locale.ROOT)))
                    .build();
        }
    }

    /** The provider's tokens are needed only to learn who signed in: nothing is kept after the sign-in. */
    private static final class NoAuthorizedClients implements OAuth2AuthorizedClientRepository {

        @Override
        public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(
                String registrationId, Authentication principal, HttpServletRequest request) {
            return null;
        }

        @Override
        public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
                                         HttpServletRequest request, HttpServletResponse response) {
            // dropped on purpose
        }

        @Override
        public void removeAuthorizedClient(String registrationId, Authentication principal,
                                           HttpServletRequest request, HttpServletResponse response) {
            // nothing kept
        }
    }

    /**
     * Replaces the OAuth 2.0 authentication with the portal user it stands for, in the security context and the
     * session (already given a new id by the session fixation protection), then goes to the start page.
     */
    private static final class PortalSessionSuccessHandler implements AuthenticationSuccessHandler {

        private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
        private final SimpleUrlAuthenticationSuccessHandler redirect = new SimpleUrlAuthenticationSuccessHandler("/");

        @Override
        public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                            Authentication authentication) throws IOException {
            if (!(authentication.getPrincipal() instanceof PortalPrincipalSource source)) {
                throw new IllegalStateException("single sign-on produced no portal user");
            }
            PortalPrincipal principal = source.portalPrincipal();
            SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
            var context = strategy.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + principal.role()))));
            strategy.setContext(context);
            contexts.saveContext(context, request, response);
            try {
                redirect.onAuthenticationSuccess(request, response, context.getAuthentication());
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
        }
    }
}
