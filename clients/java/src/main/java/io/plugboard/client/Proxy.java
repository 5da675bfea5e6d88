package io.plugboard.client;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calls to the provider's API through one credential ({@code ANY /api/v1/proxy/{path}} with
 * {@code X-Credential-Id}): Plugboard injects the credential's auth, refreshes OAuth tokens when due and passes the
 * provider's answer back, whatever its status, as a {@link ProxyResponse}. Plugboard's own refusals (unknown or
 * revoked credential, a reconnect needed, provider unreachable, too many calls in flight) are thrown as
 * {@link PlugboardApiException}s instead.
 *
 * <p>{@code path} is appended to the connector's API base URL and may carry a query:
 * {@code client.proxy(id).get("/v1/people?limit=5")}. Encode its parts as the provider expects.
 */
public final class Proxy {

    private static final String PREFIX = "/api/v1/proxy";
    /** Headers this client sets (the token, the credential) and those the JDK's client sets itself. */
    private static final Set<String> RESERVED = Set.of("authorization", "x-credential-id", "connection",
            "content-length", "expect", "host", "upgrade");

    private final Http http;
    private final TokenSource token;
    private final String credentialId;
    private final Map<String, String> headers;

    Proxy(Http http, TokenSource token, String credentialId, Map<String, String> headers) {
        this.http = http;
        this.token = token;
        this.credentialId = ApiTokens.requireText(credentialId, "credentialId");
        this.headers = Map.copyOf(headers);
    }

    /**
     * The same calls with one more request header, passed on to the provider (such as {@code Accept}), or read by
     * Plugboard ({@code X-Plugboard-Retries}: how often an idempotent call is retried, default 2).
     */
    public Proxy withHeader(String name, String value) {
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the client");
        }
        var more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Proxy(http, token, credentialId, more);
    }

    public ProxyResponse get(String path) {
        return send("GET", path, null, null);
    }

    public ProxyResponse delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** POSTs {@code body} written as JSON. */
    public ProxyResponse post(String path, Object body) {
        return send("POST", path, "application/json", http.write(body));
    }

    /** PUTs {@code body} written as JSON. */
    public ProxyResponse put(String path, Object body) {
        return send("PUT", path, "application/json", http.write(body));
    }

    /** PATCHes {@code body} written as JSON. */
    public ProxyResponse patch(String path, Object body) {
        return send("PATCH", path, "application/json", http.write(body));
    }

    /** Any method and body; {@code contentType} and {@code body} may be null for none. */
    public ProxyResponse send(String method, String path, String contentType, byte[] body) {
        ApiTokens.requireText(path, "path");
        HttpRequest.Builder request = http.request(token, PREFIX + (path.startsWith("/") ? path : "/" + path))
                .header("X-Credential-Id", credentialId);
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = http.send(request.build());
        if (Http.isPlugboardProblem(response, http.json())) {
            throw http.problem(response);
        }
        return new ProxyResponse(response.statusCode(), response.headers().map(), response.body(),
                response.headers().firstValue(Http.REQUEST_ID).orElse(null), http.json());
    }
}
