package io.plugboard.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused for a reason the person may be told (single sign-on required, an e-mail domain the tenant does
 * not sign in with): its message is written for the sign-in page and shown there as it is.
 */
public class SignInRefusedException extends AuthenticationException {

    public SignInRefusedException(String message) {
        super(message);
    }
}
