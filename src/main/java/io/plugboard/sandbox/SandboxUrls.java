package io.plugboard.sandbox;

/**
 * Where the sandbox lives: under Plugboard's public URL, so the browser (sign-in) and Plugboard itself
 * (token requests, API calls) reach it at the same address. The issuer is {@code <public-url>/sandbox}.
 */
record SandboxUrls(String publicUrl) {

    static final String PATH = "/sandbox";
    static final String LOGIN = PATH + "/login";
    static final String LOGOUT = PATH + "/logout";
    static final String CONSENT = PATH + "/consent";
    static final String AUTHORIZE = PATH + "/oauth2/authorize";
    static final String TOKEN = PATH + "/oauth2/token";
    static final String REVOKE = PATH + "/oauth2/revoke";
    static final String INTROSPECT = PATH + "/oauth2/introspect";
    static final String JWKS = PATH + "/oauth2/jwks";
    static final String API = PATH + "/api";
    static final String API_METADATA = API + "/metadata";

    SandboxUrls {
        publicUrl = publicUrl.strip().replaceAll("/+$", "");
    }

    String issuer() {
        return publicUrl + PATH;
    }

    String home() {
        return publicUrl + PATH + "/";
    }

    String authorize() {
        return publicUrl + AUTHORIZE;
    }

    String token() {
        return publicUrl + TOKEN;
    }

    String revoke() {
        return publicUrl + REVOKE;
    }

    String api() {
        return publicUrl + API;
    }

    /** An absolute http(s) URL without query or fragment, as a base for the sandbox's URLs. */
    boolean usable() {
        try {
            var uri = java.net.URI.create(publicUrl);
            return uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    boolean plainHttp() {
        return publicUrl.regionMatches(true, 0, "http://", 0, 7);
    }
}
