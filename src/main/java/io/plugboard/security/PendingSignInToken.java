package io.plugboard.security;

import java.util.List;

/**
 * What the password check answers for a user who owes a second factor. It grants nothing: the context repository
 * keeps it out of the session's security context ({@link PortalSecurityContextRepository}).
 */
public final class PendingSignInToken extends org.springframework.security.authentication.AbstractAuthenticationToken {

    private final PendingSignIn pending;

    public PendingSignInToken(PendingSignIn pending) {
        super(List.of());
        this.pending = pending;
        // The password was checked; that is all this says (see the repository for why it never becomes the context).
        setAuthenticated(true);
    }

    public PendingSignIn pending() {
        return pending;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return pending.principal().email();
    }
}
