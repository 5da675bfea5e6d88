package io.plugboard.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a connector sends a stored secret and how it presents it, as one fingerprint: the API base URL and
 * allowed hosts, the auth injection (type, header name, templates, query parameter), the authorization, token
 * and revocation URLs, the client authentication methods (token and revocation requests) and token request
 * encoding, the extra authorize and token
 * parameters (they travel with the secret and can redirect it), and the connection-check request. Placeholders in these are part of
 * the text hashed; their values are the credential's own settings. Names, docs, logos, field labels and help
 * texts and metadata fields are not destination: editing them changes nothing here.
 *
 * <p>Every secret is sealed with the fingerprint of the destination it was entered for and opened only while the
 * connector still has that fingerprint (decision 0006).
 */
public record Destination(String fingerprint) {

    /**
     * The canonical form is written by hand, not by a JSON library, so that a library upgrade (property order,
     * escaping) can never change a fingerprint and strand every credential. Each value is length-prefixed, so no
     * value can imitate a separator; null and absent are one thing; maps are sorted; defaults are resolved.
     */
    public static Destination of(ConnectorDefinition connector) {
        var c = new Canon();
        c.put("v", "1");
        c.put("authMode", connector.authMode().name());
        c.put("api.baseUrl", connector.api().baseUrl());
        List<String> hosts = new ArrayList<>(connector.api().allowedHosts() == null ? List.of()
                : connector.api().allowedHosts());
        hosts.sort(null);
        c.put("api.allowedHosts", hosts.size());
        hosts.forEach(h -> c.put("host", h));
        var auth = connector.api().auth();
        c.put("auth.type", auth.type().name());
        c.put("auth.token", auth.token());
        c.put("auth.username", auth.username());
        c.put("auth.password", auth.password());
        c.put("auth.headerName", auth.headerName());
        c.put("auth.template", auth.template());
        c.put("auth.queryParam", auth.queryParam());
        var oauth = connector.oauth();
        c.put("oauth", oauth == null ? null : "present");
        if (oauth != null) {
            c.put("oauth.authorizationUrl", oauth.authorizationUrl());
            c.put("oauth.tokenUrl", oauth.tokenUrl());
            c.put("oauth.revocationUrl", oauth.revocationUrl());
            c.put("oauth.clientAuthentication", oauth.clientAuth().name());
            c.putMap("oauth.authorizeParams", oauth.authorizeParams());
            c.putMap("oauth.tokenParams", oauth.tokenParams());
            // Written only when not the default, so every fingerprint from before these settings stays as it was.
            if (oauth.requestFormat() != ConnectorDefinition.TokenRequestFormat.form) {
                c.put("oauth.tokenRequestFormat", oauth.requestFormat().name());
            }
            if (!oauth.sendsGrantType()) {
                c.put("oauth.omitGrantType", "true");
            }
            if (oauth.sendsScopeOnRefresh()) {
                c.put("oauth.scopeOnRefresh", "true");
            }
            if (oauth.sendsRedirectUriOnRefresh()) {
                c.put("oauth.redirectUriOnRefresh", "true");
            }
            // The client secret goes wherever the revocation request says; the same as the token request's is the
            // default, resolved.
            if (oauth.revocationClientAuth() != oauth.clientAuth()) {
                c.put("oauth.revocationClientAuthentication", oauth.revocationClientAuth().name());
            }
            // The code and the client secret may go to any of these hosts, as the authorization redirect says.
            if (oauth.tokenUrlFromCallback() != null) {
                c.put("oauth.tokenUrlFromCallback", oauth.tokenUrlFromCallback());
                c.put("oauth.tokenHosts", oauth.tokenHosts() == null ? null : String.join(",", oauth.tokenHosts()));
            }
        }
        var test = connector.testRequest();
        c.put("testRequest.method", test == null ? null : test.method());
        c.put("testRequest.path", test == null ? null : test.path());
        // Written only when present, so every fingerprint from before fixed headers and test bodies stays as it was.
        if (test != null && test.body() != null) {
            c.put("testRequest.body", test.body());
            c.put("testRequest.contentType", test.bodyContentType());
        }
        if (!connector.api().headerTemplates().isEmpty()) {
            c.putMap("api.headers", connector.api().headerTemplates());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.bytes());
            // 128 bits of SHA-256: no second definition with the same fingerprint can be searched for, and the
            // column stays short.
            return new Destination("d1-" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Whether a secret bound to {@code stored} may go to this destination (never when nothing is stored). */
    public boolean matches(@Nullable String stored) {
        return fingerprint.equals(stored);
    }

    private static final class Canon {

        private final StringBuilder text = new StringBuilder();

        void put(String key, @Nullable Object value) {
            text.append(key).append('=');
            if (value == null) {
                text.append('-');
            } else {
                String v = value.toString();
                text.append(v.length()).append(':').append(v);
            }
            text.append('\n');
        }

        void putMap(String key, @Nullable Map<String, String> map) {
            var sorted = new TreeMap<String, String>(map == null ? Map.of() : map);
            put(key, sorted.size());
            sorted.forEach((k, v) -> {
                put("key", k);
                put("value", v);
            });
        }

        byte[] bytes() {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
