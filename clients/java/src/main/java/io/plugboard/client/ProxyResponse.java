package io.plugboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The provider's answer to a proxied call: its status, headers and body as received, and Plugboard's
 * {@code X-Plugboard-Request-Id}, which names the call in Plugboard's call log.
 */
public final class ProxyResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String requestId;
    private final ObjectMapper json;

    ProxyResponse(int status, Map<String, List<String>> headers, byte[] body, String requestId, ObjectMapper json) {
        this.status = status;
        var caseless = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        this.headers = Collections.unmodifiableMap(caseless);
        this.body = body;
        this.requestId = requestId;
        this.json = json;
    }

    public int status() {
        return status;
    }

    public boolean isSuccess() {
        return status / 100 == 2;
    }

    /** All headers, names compared without case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String requestId() {
        return requestId;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the provider's answer is not JSON", e);
        }
    }

    /** The body read as JSON into {@code type}. */
    public <T> T json(Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("the provider's answer cannot be read as " + type.getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "ProxyResponse[status=" + status + ", requestId=" + requestId + ", bytes=" + body.length + "]";
    }
}
