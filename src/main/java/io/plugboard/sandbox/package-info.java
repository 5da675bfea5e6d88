/**
 * Demo mode only: a pretend provider, "Sandbox CRM", so a newcomer can connect a real OAuth 2.0 account
 * without any third-party account. Under {@code /sandbox}: a real authorization server (Spring
 * Authorization Server: authorization code with PKCE, refresh tokens, client credentials, RFC 7009
 * revocation, JWT access tokens) with its own sign-in and consent pages for fictional users, and a
 * small contacts API that accepts its tokens. The demo tenant gets a custom connector for it. None of
 * this exists when demo mode is off.
 */
@NullMarked
package io.plugboard.sandbox;

import org.jspecify.annotations.NullMarked;
