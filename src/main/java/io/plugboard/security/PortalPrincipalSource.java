package io.plugboard.security;

/**
 * A principal some other sign-in produced (an OpenID Connect user) that stands for a portal user; the session keeps
 * the {@link PortalPrincipal} alone, so every check after sign-in is the same whichever way the user came in.
 */
public interface PortalPrincipalSource {

    PortalPrincipal portalPrincipal();
}
