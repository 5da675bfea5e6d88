package io.plugboard.sso;

import org.jspecify.annotations.Nullable;

/** What an issuer's OpenID Connect discovery document says, as the Test button reports it. */
public record Discovery(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
                        @Nullable String userInfoEndpoint) {
}
