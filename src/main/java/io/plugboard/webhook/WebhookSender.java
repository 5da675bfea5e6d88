package io.plugboard.webhook;

import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.PinnedHttpClient;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * One POST of one event to one receiver: no redirects followed, private addresses refused (unless allowed) and the
 * connection made to the address that was checked, the whole exchange bounded by the timeouts, and only the start
 * of the answer read.
 */
@Component
class WebhookSender {

    static final int SNIPPET_CHARS = 500;
    /** Enough bytes for {@value #SNIPPET_CHARS} characters of UTF-8. */
    private static final int SNIPPET_BYTES = SNIPPET_CHARS * 4;
    static final String USER_AGENT = "Plugboard-Webhooks/1";

    /**
     * What a receiver answered.
     *
     * @param statusCode 0 when there was no answer (refused, unreachable, timed out)
     * @param error      why there was no usable answer, for the delivery log; null for any HTTP answer
     * @param snippet    the start of the response body, control characters removed
     */
    record Attempt(int statusCode, @Nullable String error, @Nullable String snippet) {

        boolean delivered() {
            return statusCode >= 200 && statusCode < 300;
        }

        boolean gone() {
            return statusCode == 410;
        }
    }

    /** One request: the body is the stored payload, sent byte for byte as it was signed. */
    record Request(URI url, String eventId, String eventType, String body, String signature, int attempt) {
    }

    private final PinnedHttpClient http;
    private final Duration timeout;
    private final Duration exchangeLimit;

    WebhookSender(WebhookProperties properties, DestinationPolicy destinations) {
        this.timeout = properties.timeout();
        // Connecting, then the answer's headers within the timeout, then its first bytes: never longer than this.
        this.exchangeLimit = properties.connectTimeout().plus(properties.timeout()).plusSeconds(2);
        this.http = new PinnedHttpClient(destinations, properties.connectTimeout(), properties.timeout(),
                properties.concurrency());
    }

    Attempt send(Request request) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("Plugboard-Event-Id", request.eventId());
        headers.put("Plugboard-Event-Type", request.eventType());
        headers.put("Plugboard-Delivery-Attempt", Integer.toString(request.attempt()));
        headers.put(WebhookSignature.HEADER, request.signature());
        var post = new PinnedHttpClient.Request("POST", request.url(), headers,
                request.body().getBytes(StandardCharsets.UTF_8));
        try {
            // A body cut short (cutShort) still says what the receiver answered: the status counts.
            var response = http.send(post, SNIPPET_BYTES, exchangeLimit);
            return new Attempt(response.status(), null, clean(new String(response.body(), StandardCharsets.UTF_8)));
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            return new Attempt(0, "Refused: the address is private or loopback, which this Plugboard does not "
                    + "send webhooks to", null);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Attempt(0, "Interrupted while the instance shut down", null);
            }
            return new Attempt(0, describe(e), null);
        }
    }

    private String describe(IOException failure) {
        if (failure instanceof PinnedHttpClient.ConnectTimeoutException) {
            return "Could not connect in time";
        }
        if (failure instanceof SocketTimeoutException) {
            return "No answer within " + timeout.toSeconds() + " s";
        }
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return "Connection refused or unreachable";
        }
        return "Network error (" + failure.getClass().getSimpleName() + ")";
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    /** Printable text only, at most {@value #SNIPPET_CHARS} characters; null when empty. */
    static @Nullable String clean(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        var text = new StringBuilder(Math.min(body.length(), SNIPPET_CHARS));
        body.codePoints().limit(SNIPPET_CHARS).forEach(c -> text.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return text.toString().strip();
    }
}
