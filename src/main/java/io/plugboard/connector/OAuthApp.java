package io.plugboard.connector;

import java.util.List;

/** The tenant's OAuth client at a provider, with its secret opened; for the connect flows only, never for views. */
public record OAuthApp(String clientId, String clientSecret, List<String> scopes) {

    @Override
    public String toString() {
        return "OAuthApp[clientId=" + clientId + ", clientSecret=***, scopes=" + scopes + "]";
    }
}
