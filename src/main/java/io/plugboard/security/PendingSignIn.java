package io.plugboard.security;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A sign-in whose password was right but whose second factor is still owed: kept in the HTTP session beside, never
 * inside, its security context, so until the code is given the session is anonymous to every page, Vaadin endpoint
 * and service ({@link PortalSecurityContextRepository}).
 *
 * @param enrol    the user has no second factor yet but must have one: they set it up before they get in
 * @param sourceIp where the password came from, for the lockout's per-address count
 */
public record PendingSignIn(PortalPrincipal principal, boolean enrol, Instant startedAt, String sourceIp)
        implements Serializable {

    public static final String ATTRIBUTE = PendingSignIn.class.getName();

    public static Optional<PendingSignIn> in(@Nullable HttpSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            return session.getAttribute(ATTRIBUTE) instanceof PendingSignIn pending
                    ? Optional.of(pending) : Optional.empty();
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }
}
