/**
 * Connect sessions and the hosted connect page: a tenant backend (or an admin) opens a 30-minute
 * session for one end user, who then connects accounts through OAuth2 (code + PKCE), OAuth2 client
 * credentials, an API key or basic auth.
 */
@NullMarked
package io.plugboard.connect;

import org.jspecify.annotations.NullMarked;
