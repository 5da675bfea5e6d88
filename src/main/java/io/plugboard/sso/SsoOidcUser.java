package io.plugboard.sso;

import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.PortalPrincipalSource;
import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/** An ID token's person with the portal user it was admitted as; the session keeps only the latter. */
final class SsoOidcUser extends DefaultOidcUser implements PortalPrincipalSource {

    private final PortalPrincipal principal;

    SsoOidcUser(OidcUser user, PortalPrincipal principal) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())), user.getIdToken(), user.getUserInfo(),
                "sub");
        this.principal = principal;
    }

    @Override
    public PortalPrincipal portalPrincipal() {
        return principal;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SsoOidcUser that && super.equals(that) && principal.equals(that.principal);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + principal.hashCode();
    }
}
