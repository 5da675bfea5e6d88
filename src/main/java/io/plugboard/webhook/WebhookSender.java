package io.plugboard.webhook;

import io.plugboard.common.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * One POST of one event to one receiver, with the JDK client the proxy uses: no redirects followed, private
 * addresses refused (unless allowed), the whole exchange bounded by the timeouts, and only the start of the
 * answer read.
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

    private final HttpClient http;
    private final EndpointUrls urls;
    private final Duration timeout;
    private final Duration exchangeLimit;

    WebhookSender(WebhookProperties properties, EndpointUrls urls) {
        this.urls = urls;
        this.timeout = properties.timeout();
        // Connecting, then the answer's headers within the timeout, then its first bytes: never longer than this.
        this.exchangeLimit = properties.connectTimeout().plus(properties.timeout()).plusSeconds(2);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Attempt send(Request request) {
        try {
            urls.allowedDestination(request.url());
        } catch (InvalidRequestException e) {
            return new Attempt(0, "Refused: the address is private or loopback, which this Plugboard does not "
                    + "send webhooks to", null);
        }
        HttpRequest post = HttpRequest.newBuilder(request.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("Plugboard-Event-Id", request.eventId())
                .header("Plugboard-Event-Type", request.eventType())
                .header("Plugboard-Delivery-Attempt", Integer.toString(request.attempt()))
                .header(WebhookSignature.HEADER, request.signature())
                .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(post, info -> new Snippet(SNIPPET_BYTES));
        try {
            HttpResponse<String> response = exchange.get(exchangeLimit.toMillis(), TimeUnit.MILLISECONDS);
            return new Attempt(response.statusCode(), null, clean(response.body()));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Attempt(0, "No answer within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Attempt(0, "Interrupted while the instance shut down", null);
        } catch (ExecutionException e) {
            return new Attempt(0, describe(e.getCause()), null);
        }
    }

    private String describe(@Nullable Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "Could not connect in time";
        }
        if (failure instanceof HttpTimeoutException) {
            return "No answer within " + timeout.toSeconds() + " s";
        }
        if (failure instanceof ConnectException) {
            return "Connection refused or unreachable";
        }
        String what = failure == null ? "unknown" : failure.getClass().getSimpleName();
        return "Network error (" + what + ")";
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

    /** Collects the first bytes of a response and then stops reading: a huge or endless body costs nothing. */
    static final class Snippet implements HttpResponse.BodySubscriber<String> {

        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.@Nullable Subscription subscription;

        Snippet(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                if (subscription != null) {
                    subscription.cancel();
                }
                finish();
            } else if (subscription != null) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The status line and headers arrived; a body cut short still says what the receiver answered.
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
