package io.plugboard.connect;

import java.net.URI;

/**
 * An authorization request that was just started: the provider's sign-in URL, and the key the browser that
 * asked for it must keep (in {@link OAuthBindingCookie}) and present at the callback. Only a hash of the key
 * is stored, next to the state's.
 */
public record OAuthStart(URI authorizationUrl, String state, String browserKey) {

    @Override
    public String toString() {
        return "OAuthStart[" + authorizationUrl + "]";
    }
}
