package io.plugboard.security;

import java.util.Optional;

/**
 * Where the sign-in page sends an e-mail address: to its tenant's (or the platform's) identity provider, or nowhere
 * (the password form). Implemented by the single sign-on feature; the sign-in page knows only this.
 */
public interface SingleSignOnRoutes {

    /**
     * The path that starts the sign-in at the identity provider for {@code email}, or empty for a password.
     *
     * @throws SignInRefusedException when the e-mail's provider cannot be used now; its message is for the page
     */
    Optional<String> signInPath(String email);
}
