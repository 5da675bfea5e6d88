package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB answer streams through a Plugboard whose JVM has a 256 MB heap: the second instance runs in its own
 * JVM with {@code -Xmx256m} (on the shared database), a local upstream generates the 200 MB on the fly, and
 * the test downloads through the proxy counting and checksumming bytes without keeping them. If the proxy
 * held the body in memory, the small JVM would die of OutOfMemoryError.
 */
@PlugboardTest
class ProxyLargeResponseIT extends ProxyTestSupport {

    private static final long SIZE = 200L * 1024 * 1024;

    private HttpServer upstream;
    private final AtomicLong sent = new AtomicLong();

    @BeforeAll
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/big", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, SIZE);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (long written = 0; written < SIZE; written += chunk.length) {
                    fill(chunk, written);
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            }
        });
        upstream.start();
    }

    @AfterAll
    void stopUpstream() {
        upstream.stop(0);
    }

    /** Deterministic content from the offset, so the far end can check every byte without a copy. */
    private static void fill(byte[] chunk, long offset) {
        for (int i = 0; i < chunk.length; i++) {
            long at = offset + i;
            chunk[i] = (byte) (at * 31 + (at >>> 11));
        }
    }

    @Test
    void a200MegabyteResponseStreamsThroughAnInstanceWithA256MegabyteHeap() throws Exception {
        apiKeyConnectorAt("big-files", "http://127.0.0.1:%d".formatted(upstream.getAddress().getPort()));
        String id = apiKeyCredential("big-files", Map.of("apiKey", "k"));
        SecondInstance small = SecondInstance.on(context);
        assertThat(small.maxHeap()).isLessThanOrEqualTo(256L * 1024 * 1024);

        long received = 0;
        CRC32 got = new CRC32();
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + small.port() + PROXY + "/big"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + jwt()).header("X-Credential-Id", id).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    got.update(buffer, 0, n);
                    received += n;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("The download broke off after " + received + " bytes; the 256 MB instance is "
                    + (small.alive() ? "alive" : "gone") + (small.output().contains("OutOfMemoryError")
                    ? " after an OutOfMemoryError" : ""), e);
        }
        CRC32 expected = new CRC32();
        byte[] chunk = new byte[64 * 1024];
        for (long offset = 0; offset < SIZE; offset += chunk.length) {
            fill(chunk, offset);
            expected.update(chunk);
        }

        assertThat(received).isEqualTo(SIZE);
        assertThat(sent.get()).isEqualTo(SIZE);
        assertThat(got.getValue()).isEqualTo(expected.getValue());
        assertThat(small.alive()).as("the 256 MB instance survived").isTrue();
        assertThat(small.output()).doesNotContain("OutOfMemoryError");
    }
}
