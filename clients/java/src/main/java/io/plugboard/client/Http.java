package io.plugboard.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Requests to the API: the base URL, the bearer token, JSON both ways and problem documents as exceptions. */
final class Http {

    static final String REQUEST_ID = "X-Plugboard-Request-Id";
    private static final String PROBLEM_TYPES = "https://plugboard.dev/problems/";

    private final HttpClient client;
    /** Without a trailing slash; paths are appended, so a base URL with a path of its own keeps it. */
    private final String baseUrl;
    private final Duration timeout;
    private final ObjectMapper json;

    Http(HttpClient client, String baseUrl, Duration timeout, ObjectMapper json) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    <T> T call(TokenSource token, String method, String path, Object body, Class<T> type) {
        return call(token, method, path, Map.of(), body, type);
    }

    /** The same, with request headers of the endpoint's own (such as {@code X-Credential-Id}). */
    <T> T call(TokenSource token, String method, String path, Map<String, String> headers, Object body,
               Class<T> type) {
        return call(token, method, path, headers, body, json.getTypeFactory().constructType(type));
    }

    private <T> T call(TokenSource token, String method, String path, Map<String, String> headers, Object body,
                       JavaType type) {
        HttpRequest.Builder request = request(token, path).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        HttpResponse<byte[]> response = send(request.build());
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        if (type.getRawClass() == Void.class || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("Plugboard answered " + path + " with JSON this client cannot read", e);
        }
    }

    /**
     * A request with a body as text in {@code contentType} (null: none), answered as text in {@code accept}, for
     * documents the client passes through unparsed (a connector definition as YAML or JSON).
     */
    String exchangeText(TokenSource token, String method, String path, String body, String contentType, String accept) {
        HttpRequest.Builder request = request(token, path).header("Accept", accept);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> response = send(request.build());
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A request to {@code path} (starting with {@code /api/}) carrying the token; the caller adds method and body. */
    HttpRequest.Builder request(TokenSource token, String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.token());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Plugboard could not be reached at " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Plugboard", e);
        }
    }

    /** True when the answer is one of Plugboard's own problem documents (not a provider's, passed on by the proxy). */
    static boolean isPlugboardProblem(HttpResponse<byte[]> response, ObjectMapper json) {
        if (response.statusCode() < 400 || !isProblemJson(response)) {
            return false;
        }
        try {
            JsonNode type = json.readTree(response.body()).path("type");
            return type.isTextual() && type.asText().startsWith(PROBLEM_TYPES);
        } catch (IOException e) {
            return false;
        }
    }

    PlugboardApiException problem(HttpResponse<byte[]> response) {
        return problem(response, json);
    }

    static PlugboardApiException problem(HttpResponse<byte[]> response, ObjectMapper json) {
        Map<String, Object> members = Map.of();
        if (isProblemJson(response) || response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            try {
                JsonNode body = json.readTree(response.body());
                if (body != null && body.isObject()) {
                    members = json.convertValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
                }
            } catch (IOException | IllegalArgumentException e) {
                // Not JSON after all: the status alone says what happened.
            }
        }
        String requestId = text(members, "requestId");
        if (requestId == null) {
            requestId = response.headers().firstValue(REQUEST_ID).orElse(null);
        }
        Long retryAfter = response.headers().firstValue("Retry-After").flatMap(Http::seconds).orElse(null);
        int status = response.statusCode();
        String type = text(members, "type");
        if (status == 409 && type != null && type.equals(PROBLEM_TYPES + SecretsWouldBeStrandedException.TYPE)) {
            return new SecretsWouldBeStrandedException(status, type, text(members, "title"), text(members, "detail"),
                    text(members, "field"), text(members, "rule"), requestId, retryAfter, withoutNulls(members));
        }
        return new PlugboardApiException(status, text(members, "type"), text(members, "title"),
                text(members, "detail"), text(members, "field"), text(members, "rule"), requestId, retryAfter,
                withoutNulls(members));
    }

    private static boolean isProblemJson(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                .startsWith("application/problem+json");
    }

    private static Optional<Long> seconds(String value) {
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String text(Map<String, Object> members, String name) {
        Object value = members.get(name);
        return value == null ? null : value.toString();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> members) {
        var copy = new LinkedHashMap<>(members);
        for (Iterator<Object> values = copy.values().iterator(); values.hasNext(); ) {
            if (values.next() == null) {
                values.remove();
            }
        }
        return copy;
    }

    byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body cannot be written as JSON", e);
        }
    }

    /** {@code value} percent-encoded for a path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(Map<String, String> parameters) {
        var parts = new ArrayList<String>();
        parameters.forEach((name, value) -> {
            if (value != null) {
                parts.add(encode(name) + "=" + encode(value));
            }
        });
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }
}
