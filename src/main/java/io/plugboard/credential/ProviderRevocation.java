package io.plugboard.credential;

import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorDefinition.ClientAuthentication;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.PinnedHttpClient;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the provider to revoke a token (RFC 7009). The refresh token is revoked when there is one, as
 * that ends the whole grant at most providers. Never throws: the caller records the outcome.
 *
 * <p>Which answers are final follows RFC 7009: 2xx is done; so is 400 {@code invalid_token}/{@code invalid_grant},
 * since "the purpose of the revocation request, invalidating the particular token, is already achieved" (2.2);
 * 503 (2.2.1), any other 5xx, 429, 408 and an unreachable provider are worth another try; everything else is final
 * and failed: 400 {@code unsupported_token_type} (the provider will not revoke this kind of token, it stays valid
 * until it expires), 401/403 (the client's credentials were refused) and the other 4xx and 3xx answers, which
 * another try of the same request would only repeat.
 */
@Component
class ProviderRevocation {

    /**
     * @param retryable the attempt failed in a way another attempt may not (see the class comment)
     * @param detail    a short summary: "HTTP 503", "HTTP 401 invalid_client", never a token or the provider's body
     */
    record Outcome(boolean attempted, boolean succeeded, boolean retryable, String detail) {
        static final Outcome NOT_APPLICABLE = new Outcome(false, true, "the connector has no revocation endpoint");

        Outcome(boolean attempted, boolean succeeded, String detail) {
            this(attempted, succeeded, false, detail);
        }
    }

    /**
     * What a revocation request carries, kept sealed between attempts: the token and, when the connector has no
     * tenant OAuth app, the credential's own client id and secret (a tenant app is read afresh for each attempt).
     */
    record Material(String token, String tokenTypeHint, @Nullable String clientId, @Nullable String clientSecret) {

        @Override
        public String toString() {
            return "Material[" + tokenTypeHint + "]";
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Revocations in flight at once (one per credential revoked by an admin or the API). */
    private static final int MAX_CONNECTIONS = 64;

    /** Enough of an error answer for its {@code error} code (RFC 6749 5.2), which is all that is read of it. */
    private static final int ERROR_BODY_LIMIT = 1024;
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,60}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DestinationPolicy destinations;
    private final PinnedHttpClient http;

    /** The whole attempt, however slowly the endpoint drips its answer; never past {@link #maxAttemptTime()}. */
    private final Duration deadline;

    ProviderRevocation(DestinationPolicy destinations, @Value("${plugboard.oauth.deadline:20s}") Duration deadline) {
        this.destinations = destinations;
        this.http = new PinnedHttpClient(destinations, TIMEOUT, TIMEOUT, MAX_CONNECTIONS);
        this.deadline = deadline.compareTo(maxAttemptTime()) < 0 ? deadline : maxAttemptTime();
    }

    /** How long one attempt may take at most: connecting, then waiting for the answer. */
    static Duration maxAttemptTime() {
        return TIMEOUT.multipliedBy(2);
    }

    Outcome revoke(ConnectorDefinition connector, CredentialSecret secret, Map<String, String> config,
                   @Nullable OAuthApp app) {
        var oauth = connector.oauth();
        if (oauth == null || oauth.revocationUrl() == null) {
            return Outcome.NOT_APPLICABLE;
        }
        Material material = material(secret, config, app);
        if (material == null) {
            try {
                // Checked before anything else, so a refused endpoint is reported even when there is no token to send.
                destinations.check(URI.create(oauth.revocationUrl()));
            } catch (DestinationPolicy.ForbiddenDestinationException e) {
                return new Outcome(true, false, "revocation endpoint refused: " + e.getMessage());
            }
            return new Outcome(false, true, "no token to revoke");
        }
        return send(connector, material, app);
    }

    /** What to send for this credential, or null when it holds no token. */
    static @Nullable Material material(CredentialSecret secret, Map<String, String> config, @Nullable OAuthApp app) {
        String token = secret.refreshToken() != null ? secret.refreshToken() : secret.accessToken();
        if (token == null) {
            return null;
        }
        return new Material(token, secret.refreshToken() != null ? "refresh_token" : "access_token",
                app != null ? null : config.get("clientId"), app != null ? null : secret.fields().get("clientSecret"));
    }

    /** One revocation request; the client authenticates with the tenant's app if given, else the material's own. */
    Outcome send(ConnectorDefinition connector, Material material, @Nullable OAuthApp app) {
        var oauth = connector.oauth();
        if (oauth == null || oauth.revocationUrl() == null) {
            return Outcome.NOT_APPLICABLE;
        }
        URI endpoint = URI.create(oauth.revocationUrl());
        try {
            destinations.check(endpoint);
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            return new Outcome(true, false, "revocation endpoint refused: " + e.getMessage());
        }
        String clientId = app != null ? app.clientId() : material.clientId();
        String clientSecret = app != null ? app.clientSecret() : material.clientSecret();
        var form = new LinkedHashMap<String, String>();
        form.put("token", material.token());
        form.put("token_type_hint", material.tokenTypeHint());
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        if (clientId != null && clientSecret != null) {
            if (oauth.revocationClientAuth() == ClientAuthentication.client_secret_basic) {
                String pair = encode(clientId) + ":" + encode(clientSecret);
                headers.put("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            } else {
                form.put("client_id", clientId);
                form.put("client_secret", clientSecret);
            }
        }
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        try {
            var response = http.send(new PinnedHttpClient.Request("POST", endpoint, headers,
                    body.getBytes(StandardCharsets.UTF_8)), ERROR_BODY_LIMIT, deadline);
            return outcome(response.status(), response.body());
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            // The name resolved elsewhere since the check above.
            return new Outcome(true, false, "revocation endpoint refused: " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Outcome(true, false, true, "interrupted");
            }
            return new Outcome(true, false, true, "provider unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The answer classified (see the class comment); of a 2xx answer's body nothing is read. */
    static Outcome outcome(int status, byte[] body) {
        if (status / 100 == 2) {
            return new Outcome(true, true, "HTTP " + status);
        }
        if (status / 100 == 5 || status == 429 || status == 408) {
            return new Outcome(true, false, true, "HTTP " + status);
        }
        String error = status / 100 == 4 ? errorCode(body) : null;
        String detail = "HTTP " + status + (error == null ? "" : " " + error);
        if (status == 400 && ("invalid_token".equals(error) || "invalid_grant".equals(error))) {
            return new Outcome(true, true, detail);
        }
        return new Outcome(true, false, false, detail);
    }

    /** The RFC 6749 5.2 {@code error} code of an error answer, if it looks like one; nothing else of the body. */
    private static @Nullable String errorCode(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            var node = JSON.readTree(body).path("error");
            String code = node.isString() ? node.asString() : null;
            return code != null && ERROR_CODE.matcher(code).matches() ? code : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
