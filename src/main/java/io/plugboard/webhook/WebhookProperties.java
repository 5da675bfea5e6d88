package io.plugboard.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook delivery. Whether plain http and private addresses are allowed is the operator's connector/proxy
 * setting ({@code plugboard.connectors.allow-http}, {@code plugboard.proxy.allow-private-addresses}).
 *
 * @param connectTimeout     connecting to a receiver
 * @param timeout            a receiver must answer 2xx within this, or the attempt failed
 * @param maxAge             retry a delivery for up to this long after its event, then give up
 * @param initialBackoff     wait after the first failed attempt; doubled after each further one (with jitter)
 * @param maxBackoff         the longest wait between two attempts
 * @param secretOverlap      after a secret rotation the previous secret signs too for this long
 * @param unhealthyAfter     consecutive failed attempts after which an endpoint shows as failing
 * @param concurrency        deliveries in flight at once per instance
 * @param perEndpointConcurrency deliveries in flight at once to one endpoint, over all instances: a slow or
 *                           failing receiver's backlog leaves the other slots to everyone else's deliveries
 * @param pollInterval       how often an idle worker looks for due deliveries (new events wake it at once)
 * @param workerEnabled      whether this instance delivers (off: it only writes the outbox)
 * @param deliveredRetention how long delivered deliveries stay in the log
 * @param failedRetention    how long deliveries that were given up on stay in the log
 */
@ConfigurationProperties("plugboard.webhooks")
public record WebhookProperties(Duration connectTimeout, Duration timeout, Duration maxAge, Duration initialBackoff,
                                Duration maxBackoff, Duration secretOverlap, int unhealthyAfter, int concurrency,
                                int perEndpointConcurrency, Duration pollInterval, boolean workerEnabled, Duration deliveredRetention,
                                Duration failedRetention) {

    public WebhookProperties {
        for (Duration positive : new Duration[] {connectTimeout, timeout, maxAge, initialBackoff, maxBackoff,
                pollInterval, deliveredRetention, failedRetention}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("plugboard.webhooks durations must be positive");
            }
        }
        if (secretOverlap.isNegative() || unhealthyAfter < 1 || concurrency < 1 || perEndpointConcurrency < 1) {
            throw new IllegalArgumentException("plugboard.webhooks: secret-overlap must not be negative, "
                    + "unhealthy-after, concurrency and per-endpoint-concurrency must be at least 1");
        }
    }

    /**
     * How long a claimed delivery stays reserved for its worker: longer than any attempt can take, so only a
     * worker that died loses its claim, which another then takes over (at least once).
     */
    public Duration lease() {
        return connectTimeout.plus(timeout).plusSeconds(30);
    }
}
