/**
 * Single sign-on for the portal: each tenant's OpenID Connect identity provider (and the operator's, for platform
 * staff), where the sign-in page sends an e-mail, and who the provider's ID token is in Plugboard.
 */
@NullMarked
package io.plugboard.sso;

import org.jspecify.annotations.NullMarked;
