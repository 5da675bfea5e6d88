package io.plugboard.proxy;

import io.plugboard.connector.PassThroughHttpClients;
import io.plugboard.connector.PinnedHttpClient;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The proxy's HTTP client to providers: pooled keep-alive connections, blocking I/O on the calling (virtual)
 * thread, bytes passed through as they are (no redirects followed, no decompression, no cookies, no retries
 * of its own: {@link ProxyService} decides those).
 */
@Component
class ProviderClient {

    private final CloseableHttpClient http;

    ProviderClient(ProxyProperties properties) {
        // No User-Agent of its own: the caller's is passed on.
        this.http = PassThroughHttpClients.create(properties.connectTimeout(), properties.readTimeout(),
                properties.maxConnections(), null);
    }

    /** A request body: buffered bytes (can be sent again) or a stream of known or unknown ({@code -1}) length. */
    sealed interface Body {
        record Bytes(byte[] bytes) implements Body {
        }

        record Stream(InputStream in, long length) implements Body {
        }
    }

    /**
     * Sends one request and returns the open response; the caller reads its body and closes it (a body read
     * to the end gives the connection back to the pool).
     *
     * @param pinned the address to connect to, already checked; {@code null} to let the client resolve the host
     */
    ClassicHttpResponse open(String method, URI target, @Nullable InetAddress pinned, Map<String, List<String>> headers,
                             Map<String, String> auth, @Nullable Body body) throws IOException {
        assert PinnedHttpClient.outsideTransaction();
        HttpHost named = HttpHost.create(target);
        HttpHost host = pinned == null ? named
                : new HttpHost(named.getSchemeName(), pinned, named.getHostName(), named.getPort());
        String path = target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        var request = new BasicClassicHttpRequest(method, host,
                target.getRawQuery() == null ? path : path + "?" + target.getRawQuery());
        headers.forEach((name, values) -> values.forEach(v -> request.addHeader(name, v)));
        auth.forEach(request::setHeader);
        if (body instanceof Body.Bytes bytes) {
            request.setEntity(new ByteArrayEntity(bytes.bytes(), null));
        } else if (body instanceof Body.Stream stream) {
            request.setEntity(new InputStreamEntity(stream.in(), stream.length(), null));
        }
        return http.executeOpen(host, request, null);
    }

    /** The response's headers by name, values in the order received. */
    static Map<String, List<String>> headers(ClassicHttpResponse response) {
        var byName = new LinkedHashMap<String, List<String>>();
        var canonical = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            String name = canonical.computeIfAbsent(header.getName(), Function.identity());
            byName.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(header.getValue());
        }
        return byName;
    }

    /** The first value of a response header, or null. */
    static @Nullable String first(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
