package io.plugboard.sso;

import io.plugboard.security.AppRoles;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.SsoAccounts;
import io.plugboard.tenant.SsoIdentity;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/**
 * Who a verified ID token is in Plugboard. Spring Security has checked the state, the PKCE verifier, the nonce and
 * the token's signature, issuer, audience and expiry; here the provider's answer is held against the tenant's
 * rules: a verified e-mail in one of its domains, a role from the claim (or the default), then the user itself
 * ({@link SsoAccounts}). A refusal carries a message for the sign-in page and is audited.
 */
@Component
class SsoUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    /** The error code of a refusal decided here; the sign-in page shows its description. */
    static final String REFUSED = "plugboard_sign_in_refused";

    private final OidcUserService delegate = new OidcUserService();
    private final TenantSsoStore store;
    private final SsoAccounts accounts;
    private final SsoProperties properties;

    SsoUserService(TenantSsoStore store, SsoAccounts accounts, SsoProperties properties) {
        this.store = store;
        this.accounts = accounts;
        this.properties = properties;
    }

    private record Rules(@Nullable UUID tenantId, List<String> domains, @Nullable String roleClaim,
                         List<Mapping> mappings, @Nullable String defaultRole) {
    }

    private record Mapping(String role, List<String> values) {
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        String registrationId = request.getClientRegistration().getRegistrationId();
        String provider = request.getClientRegistration().getProviderDetails().getIssuerUri();
        Rules rules = rules(registrationId);
        String email = user.getEmail() == null ? "" : user.getEmail().strip().toLowerCase(Locale.ROOT);
        if (email.isEmpty() || Boolean.FALSE.equals(user.getEmailVerified())) {
            throw refused(rules.tenantId(), email, provider, "email_unverified", null,
                    "Your identity provider did not give a verified e-mail address, which Plugboard needs.");
        }
        if (email.length() > 254 || email.indexOf('@') < 1 || email.chars().anyMatch(Character::isISOControl)) {
            throw refused(rules.tenantId(), email.length() > 254 ? email.substring(0, 254) : email, provider,
                    "invalid_email", null, "Your identity provider gave an e-mail address Plugboard cannot use.");
        }
        String domain = email.substring(email.lastIndexOf('@') + 1);
        if (!rules.domains().contains(domain)) {
            throw refused(rules.tenantId(), email, provider, "wrong_domain", null, "The e-mail " + email
                    + " is not in a domain that signs in through this identity provider.");
        }
        String role = role(rules, user.getClaims().get(rules.roleClaim() == null ? "" : rules.roleClaim()));
        if (role == null) {
            throw refused(rules.tenantId(), email, provider, "no_role", null,
                    "Your identity provider gives you no Plugboard role. Ask your administrator.");
        }
        String name = Optional.ofNullable(user.getFullName()).orElse(email);
        try {
            return new SsoOidcUser(user, accounts.admit(new SsoIdentity(rules.tenantId(), email, name, role, provider)));
        } catch (SignInRefusedException e) {
            throw asOAuth2(e);
        }
    }

    private Rules rules(String registrationId) {
        if (registrationId.equals(SsoClientRegistrations.PLATFORM)) {
            SsoProperties.Platform p = properties.platformOrNone();
            return new Rules(null, p.domains(), p.roleClaim(), List.of(
                    new Mapping(AppRoles.PLATFORM_ADMIN, nonNull(p.platformAdminValues())),
                    new Mapping(AppRoles.SUPPORT, nonNull(p.supportValues())),
                    new Mapping(AppRoles.AUDITOR, nonNull(p.auditorValues()))), null);
        }
        UUID tenantId = SsoClientRegistrations.tenantOf(registrationId).orElseThrow();
        TenantSsoStore.Row row = TenantScope.tenant(tenantId, () -> store.find(tenantId)).orElseThrow(() ->
                new OAuth2AuthenticationException(new OAuth2Error(REFUSED,
                        "Single sign-on is no longer set up for your organisation.", null)));
        return new Rules(tenantId, row.allowedDomains(), row.roleClaim(), List.of(
                new Mapping(AppRoles.TENANT_ADMIN, row.adminValues()),
                new Mapping(AppRoles.AUDITOR, row.auditorValues())), row.defaultRole());
    }

    /** The first mapping (most rights first) any of whose values the claim holds, else the default. */
    static @Nullable String role(Rules rules, @Nullable Object claim) {
        if (rules.roleClaim() != null && claim != null) {
            List<String> held = claim instanceof Collection<?> many
                    ? many.stream().map(String::valueOf).toList() : List.of(String.valueOf(claim));
            for (Mapping mapping : rules.mappings()) {
                if (mapping.values().stream().anyMatch(held::contains)) {
                    return mapping.role();
                }
            }
        }
        return rules.defaultRole();
    }

    private OAuth2AuthenticationException refused(@Nullable UUID tenantId, String email, String provider, String cause,
                                                  @Nullable UUID userId, String message) {
        accounts.refuse(tenantId, email, provider, cause, userId);
        return asOAuth2(new SignInRefusedException(message));
    }

    private static OAuth2AuthenticationException asOAuth2(SignInRefusedException e) {
        return new OAuth2AuthenticationException(new OAuth2Error(REFUSED, e.getMessage(), null), e.getMessage(), e);
    }

    private static List<String> nonNull(@Nullable List<String> values) {
        return values == null ? List.of() : values;
    }
}
