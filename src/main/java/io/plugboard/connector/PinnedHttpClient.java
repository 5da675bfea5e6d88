package io.plugboard.connector;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An HTTP/1.1 client for the calls Plugboard makes on a tenant's behalf outside the proxy (token and revocation
 * endpoints, connection checks, webhook deliveries). The destination is looked up once by {@link DestinationPolicy},
 * every address checked, and the connection made to exactly that address (the host name goes only into {@code Host}
 * and TLS), so a DNS answer that changes after the check (DNS rebinding) cannot reach an internal address.
 * Like the proxy's client it follows no redirects, retries nothing, decompresses nothing and keeps no cookies.
 */
public final class PinnedHttpClient implements Closeable {

    /** Framing and routing headers are the client's to write, never the caller's. */
    private static final Set<String> CLIENT_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection");

    /** Sent when the caller names no User-Agent: some providers refuse requests without one. */
    static final String DEFAULT_USER_AGENT = "Plugboard";

    /** One request; the body (if any) is sent byte for byte, its Content-Type is the caller's header. */
    public record Request(String method, URI target, Map<String, String> headers, byte @Nullable [] body) {
    }

    /**
     * An answer.
     *
     * @param body     at most the bytes asked for; the rest was never read
     * @param cutShort the connection failed while the body was being read: {@code body} is what arrived
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean cutShort) {

        /** The first value of a header (any case), or null. */
        public @Nullable String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** Connecting took longer than the connect timeout (or waiting for a pooled connection did). */
    public static final class ConnectTimeoutException extends SocketTimeoutException {
        ConnectTimeoutException(String message) {
            super(message);
        }
    }

    private final DestinationPolicy destinations;
    private final CloseableHttpClient http;

    /**
     * @param connectTimeout  connecting (and waiting for a pooled connection)
     * @param responseTimeout the longest silence while waiting for the answer and reading it
     * @param maxConnections  connections open at once, in all and to one destination
     */
    public PinnedHttpClient(DestinationPolicy destinations, Duration connectTimeout, Duration responseTimeout,
                            int maxConnections) {
        this.destinations = destinations;
        this.http = PassThroughHttpClients.create(connectTimeout, responseTimeout, maxConnections, DEFAULT_USER_AGENT);
    }

    /**
     * Sends one request to the checked address of its host and reads at most {@code bodyLimit} bytes of the answer.
     *
     * @throws DestinationPolicy.ForbiddenDestinationException the host resolves to a network Plugboard may not reach
     *                                                         (nothing was sent)
     * @throws java.net.UnknownHostException                   the host does not resolve
     * @throws ConnectTimeoutException                         no connection within the connect timeout
     * @throws SocketTimeoutException                          no answer within the response timeout
     * @throws java.net.ConnectException                       refused or unreachable
     */
    public Response send(Request request, int bodyLimit) throws IOException {
        return send(request, bodyLimit, null);
    }

    /**
     * As {@link #send(Request, int)}, with the whole exchange, from connecting to the last byte read, bounded by
     * {@code deadline}: past it the connection is dropped and a {@link SocketTimeoutException} thrown, however
     * slowly the other side keeps sending.
     */
    public Response send(Request request, int bodyLimit, @Nullable Duration deadline) throws IOException {
        assert outsideTransaction();
        InetAddress pinned = destinations.pin(request.target());
        HttpHost named = HttpHost.create(request.target());
        HttpHost host = pinned == null ? named
                : new HttpHost(named.getSchemeName(), pinned, named.getHostName(), named.getPort());
        var message = new HttpUriRequestBase(request.method(), request.target());
        request.headers().forEach((name, value) -> {
            if (!CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                message.addHeader(name, value);
            }
        });
        if (request.body() != null) {
            message.setEntity(new ByteArrayEntity(request.body(), null));
        }
        var expired = new AtomicBoolean();
        Thread watchdog = deadline == null ? null : Thread.ofVirtual().name("pinned-http-deadline").start(() -> {
            try {
                Thread.sleep(deadline);
                expired.set(true);
                message.cancel();
            } catch (InterruptedException e) {
                // The exchange ended in time.
            }
        });
        try {
            return exchange(host, message, bodyLimit, expired);
        } catch (IOException e) {
            if (expired.get()) {
                throw timedOut(deadline);
            }
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    /**
     * A call to another party made inside a transaction holds a database connection (and any row locks) for as long
     * as that party takes to answer: with assertions on (the tests) this fails loudly instead.
     */
    public static boolean outsideTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("An outbound HTTP call was made inside a database transaction");
        }
        return true;
    }

    private Response exchange(HttpHost host, HttpUriRequestBase message, int bodyLimit, AtomicBoolean expired)
            throws IOException {
        ClassicHttpResponse response;
        try {
            response = http.executeOpen(host, message, null);
        } catch (org.apache.hc.client5.http.ConnectTimeoutException | ConnectionRequestTimeoutException e) {
            var timeout = new ConnectTimeoutException("No connection in time");
            timeout.initCause(e);
            throw timeout;
        }
        var body = new ByteArrayOutputStream();
        boolean cutShort = false;
        try {
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                InputStream in = entity.getContent();
                boolean ended = readAtMost(in, bodyLimit, body);
                if (!ended && entity.getContentLength() != body.size() && in instanceof EofSensorInputStream sensor) {
                    // The rest is never read: the connection goes rather than waiting out an endless body.
                    sensor.abort();
                }
            }
        } catch (IOException e) {
            if (expired.get()) {
                throw e;
            }
            cutShort = true;
        } finally {
            closeQuietly(response);
        }
        return new Response(response.getCode(), headers(response), body.toByteArray(), cutShort);
    }

    /** A body read to its end gives the connection back to the pool; an abandoned one was dropped already. */
    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // Only the connection is lost (Apache discards it); the answer is complete as read.
        }
    }

    /** Reads up to {@code limit} bytes; true when the body ended within them. */
    private static boolean readAtMost(InputStream in, int limit, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[Math.min(Math.max(limit, 1), 8192)];
        while (into.size() < limit) {
            int read = in.read(buffer, 0, Math.min(buffer.length, limit - into.size()));
            if (read < 0) {
                return true;
            }
            into.write(buffer, 0, read);
        }
        return false;
    }

    private static SocketTimeoutException timedOut(@Nullable Duration deadline) {
        return new SocketTimeoutException("The exchange took longer than " + deadline);
    }

    /** The response's headers by name (any case finds them), values in the order received. */
    private static Map<String, List<String>> headers(ClassicHttpResponse response) {
        var byName = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            byName.computeIfAbsent(header.getName(), k -> new ArrayList<>()).add(header.getValue());
        }
        return byName;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
