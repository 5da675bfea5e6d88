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
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Tells the provider to revoke a token (RFC 7009). The refresh token is revoked when there is one, as
 * that ends the whole grant at most providers. Never throws: the caller records the outcome.
 */
@Component
class ProviderRevocation {

    record Outcome(boolean attempted, boolean succeeded, String detail) {
        static final Outcome NOT_APPLICABLE = new Outcome(false, true, "the connector has no revocation endpoint");
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Revocations in flight at once (one per credential revoked by an admin or the API). */
    private static final int MAX_CONNECTIONS = 64;

    private final DestinationPolicy destinations;
    private final PinnedHttpClient http;

    ProviderRevocation(DestinationPolicy destinations) {
        this.destinations = destinations;
        this.http = new PinnedHttpClient(destinations, TIMEOUT, TIMEOUT, MAX_CONNECTIONS);
    }

    Outcome revoke(ConnectorDefinition connector, CredentialSecret secret, Map<String, String> config,
                   @Nullable OAuthApp app) {
        var oauth = connector.oauth();
        if (oauth == null || oauth.revocationUrl() == null) {
            return Outcome.NOT_APPLICABLE;
        }
        URI endpoint = URI.create(oauth.revocationUrl());
        try {
            // Checked before anything else, so a refused endpoint is reported even when there is no token to send.
            destinations.check(endpoint);
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            return new Outcome(true, false, "revocation endpoint refused: " + e.getMessage());
        }
        String token = secret.refreshToken() != null ? secret.refreshToken() : secret.accessToken();
        if (token == null) {
            return new Outcome(false, true, "no token to revoke");
        }
        String clientId = app != null ? app.clientId() : config.get("clientId");
        String clientSecret = app != null ? app.clientSecret() : secret.fields().get("clientSecret");
        var form = new LinkedHashMap<String, String>();
        form.put("token", token);
        form.put("token_type_hint", secret.refreshToken() != null ? "refresh_token" : "access_token");
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        if (clientId != null && clientSecret != null) {
            if (oauth.clientAuth() == ClientAuthentication.client_secret_basic) {
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
            // The answer's body says nothing the outcome needs: it is not read.
            var response = http.send(new PinnedHttpClient.Request("POST", endpoint, headers,
                    body.getBytes(StandardCharsets.UTF_8)), 0);
            boolean ok = response.status() / 100 == 2;
            return new Outcome(true, ok, "HTTP " + response.status());
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            // The name resolved elsewhere since the check above.
            return new Outcome(true, false, "revocation endpoint refused: " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Outcome(true, false, "interrupted");
            }
            return new Outcome(true, false, "provider unreachable (" + e.getClass().getSimpleName() + ")");
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
