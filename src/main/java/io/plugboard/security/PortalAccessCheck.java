package io.plugboard.security;

import java.util.Optional;

/**
 * Whether a signed-in portal user may still act, by the rules of sign-in: the user exists and is enabled, has the
 * role and the access epoch of the session (no password reset since), and their tenant, if any, is active. The
 * feature that owns users and tenants implements it; the security kernel asks it on every request.
 */
public interface PortalAccessCheck {

    /** For every request: may answer from a copy that the database's change feed keeps current. */
    Optional<AccessRefusal> refusal(PortalPrincipal principal);

    /** For services about to change data: reads the rows in the caller's transaction. */
    Optional<AccessRefusal> refusalNow(PortalPrincipal principal);

    /** Audits that a request of this user's session was refused and the session ended. */
    void refused(PortalPrincipal principal, AccessRefusal why, String request);
}
