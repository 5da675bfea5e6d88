package io.plugboard.connector;

public enum AuthMode {
    OAUTH2_AUTHORIZATION_CODE, OAUTH2_CLIENT_CREDENTIALS, API_KEY, BASIC;

    public boolean oauth() {
        return this == OAUTH2_AUTHORIZATION_CODE || this == OAUTH2_CLIENT_CREDENTIALS;
    }

    public String label() {
        return switch (this) {
            case OAUTH2_AUTHORIZATION_CODE -> "OAuth 2.0";
            case OAUTH2_CLIENT_CREDENTIALS -> "OAuth 2.0 client credentials";
            case API_KEY -> "API key";
            case BASIC -> "Basic auth";
        };
    }
}
