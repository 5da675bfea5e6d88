package io.plugboard.api;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the tenant API over real HTTP on the test server's port, with tokens minted as a tenant backend would. */
final class TestApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;

    TestApi(int port) {
        this.base = "http://localhost:" + port;
    }

    /** A valid token: HS512 with the tenant's client secret, 15 minutes of lifetime. */
    static String token(TestTenant tenant, String subject) {
        return token(tenant.clientId(), tenant.clientSecret(), subject);
    }

    static String token(String clientId, String clientSecret, String subject) {
        Instant now = Instant.now();
        return Jwts.builder()
                .issuer(clientId)
                .subject(subject)
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(Duration.ofMinutes(15))))
                .signWith(Keys.hmacShaKeyFor(clientSecret.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512)
                .compact();
    }

    Response get(String path, @Nullable String token) {
        return send("GET", path, token, null);
    }

    /** A GET with a raw Authorization header, for schemes other than a well-formed bearer token. */
    Response getWithAuthorization(String path, String authorization) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", authorization);
        return execute(request, "GET", path);
    }

    Response getAccepting(String path, String token, String accept) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", "Bearer " + token).header("Accept", accept);
        return execute(request, "GET", path);
    }

    Response post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    Response patch(String path, String token, String json) {
        return send("PATCH", path, token, json);
    }

    Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    Response send(String method, String path, @Nullable String token, @Nullable String json) {
        return send(method, path, token, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json), json != null);
    }

    Response send(String method, String path, @Nullable String token, HttpRequest.BodyPublisher body,
                  boolean isJson) {
        return send(method, path, token, body, isJson, isJson ? "application/json" : null);
    }

    /** A request with any Content-Type (or none), for the API's media-type checks. */
    Response send(String method, String path, @Nullable String token, HttpRequest.BodyPublisher body,
                  boolean isJson, @Nullable String contentType) {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return execute(request, method, path);
    }

    private Response execute(HttpRequest.Builder request, String method, String path) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + contentType() + " " + body;
        }
    }
}
