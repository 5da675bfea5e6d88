package io.plugboard.security;

import java.util.UUID;

/**
 * The signed-in portal sessions, one row each, so a user can see theirs and end them from another
 * (docs/security.md, "Sessions"). The feature that owns users implements it; the per-request filter registers a
 * session on its first signed-in request and asks on every one after whether it was ended.
 */
public interface PortalSessions {

    /** The HTTP session attribute holding the session's id. */
    String ATTRIBUTE = PortalSessions.class.getName() + ".id";

    /** Registers a newly signed-in session; returns its id. */
    UUID started(PortalPrincipal principal, String userAgent, String sourceIp);

    /** Whether the session was ended (on any instance); notes that it was seen if not. */
    boolean ended(PortalPrincipal principal, UUID sessionId);

    /** The HTTP session signed in anew (as someone else, or again): its old row is over. */
    void replaced(UUID sessionId);
}
