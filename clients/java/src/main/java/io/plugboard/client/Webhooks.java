package io.plugboard.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code /api/v1/webhooks}: the tenant's webhook endpoints and their delivery logs (a tenant-wide token only; an end
 * user's gets {@code 403}). Signing secrets appear only in what {@link #create} and {@link #rotateSecret} return.
 */
public final class Webhooks {

    private static final String PATH = "/api/v1/webhooks";

    private final Http http;
    private final TokenSource token;

    Webhooks(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    public List<WebhookEndpoint> list() {
        return http.call(token, "GET", PATH, null, EndpointList.class).items();
    }

    /** Adds an endpoint; the answer's signing secret is shown only here, so store it with the receiver. */
    public IssuedWebhook create(NewWebhook webhook) {
        return http.call(token, "POST", PATH, webhook, IssuedWebhook.class);
    }

    public WebhookEndpoint get(String endpointId) {
        return http.call(token, "GET", path(endpointId), null, WebhookEndpoint.class);
    }

    /** Changes what the change sets; its null members stay as they are. */
    public WebhookEndpoint update(String endpointId, WebhookChange change) {
        return http.call(token, "PATCH", path(endpointId), change, WebhookEndpoint.class);
    }

    /** Deletes the endpoint with its delivery log. */
    public void delete(String endpointId) {
        http.call(token, "DELETE", path(endpointId), null, Void.class);
    }

    /**
     * A new signing secret, shown only in this answer. The old one keeps signing too until the endpoint's
     * {@code previousSecretUntil}, so a receiver can switch without losing deliveries.
     */
    public IssuedWebhook rotateSecret(String endpointId) {
        return http.call(token, "POST", path(endpointId) + "/rotate-secret", null, IssuedWebhook.class);
    }

    /** Queues a {@code webhook.test} event for the endpoint; returns its event id. */
    public String sendTest(String endpointId) {
        return http.call(token, "POST", path(endpointId) + "/test", null, TestEvent.class).eventId();
    }

    /** A page of the endpoint's deliveries, newest first; {@code status} and {@code cursor} may be null. */
    public DeliveryPage deliveries(String endpointId, DeliveryStatus status, String cursor, int limit) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("status", status == null ? null : status.name());
        parameters.put("cursor", cursor);
        parameters.put("limit", Integer.toString(limit));
        return http.call(token, "GET", path(endpointId) + "/deliveries" + Http.query(parameters), null,
                DeliveryPage.class);
    }

    /** Every delivery of the endpoint (with {@code status}, or all when null), newest first, page by page. */
    public Stream<WebhookDelivery> streamDeliveries(String endpointId, DeliveryStatus status, int limit) {
        return CursorPages.stream(cursor -> {
            DeliveryPage page = deliveries(endpointId, status, cursor, limit);
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    /** Sends the delivery again now, with a fresh retry period. */
    public WebhookDelivery redeliver(String endpointId, long deliveryId) {
        return http.call(token, "POST", path(endpointId) + "/deliveries/" + deliveryId + "/redeliver", null,
                WebhookDelivery.class);
    }

    private static String path(String endpointId) {
        return PATH + "/" + Http.encode(endpointId);
    }

    /** A new endpoint: an https URL, an optional note, and the event types (null: every type but audit.checkpoint). */
    public record NewWebhook(String url, String description, List<String> eventTypes) {

        public static NewWebhook to(String url) {
            return new NewWebhook(url, null, null);
        }

        public NewWebhook withDescription(String description) {
            return new NewWebhook(url, description, eventTypes);
        }

        public NewWebhook withEventTypes(List<String> eventTypes) {
            return new NewWebhook(url, description, eventTypes == null ? null : List.copyOf(eventTypes));
        }
    }

    /** A partial change: null members are left as they are; an empty description removes it. */
    public record WebhookChange(String url, String description, List<String> eventTypes, Boolean enabled) {

        public static WebhookChange none() {
            return new WebhookChange(null, null, null, null);
        }

        public WebhookChange url(String url) {
            return new WebhookChange(url, description, eventTypes, enabled);
        }

        public WebhookChange description(String description) {
            return new WebhookChange(url, description, eventTypes, enabled);
        }

        public WebhookChange eventTypes(List<String> eventTypes) {
            return new WebhookChange(url, description, eventTypes == null ? null : List.copyOf(eventTypes), enabled);
        }

        public WebhookChange enabled(boolean enabled) {
            return new WebhookChange(url, description, eventTypes, enabled);
        }
    }

    /**
     * An endpoint as the API shows it, never its secret. {@code health} is {@code HEALTHY}, {@code FAILING} and so
     * on; {@code previousSecretUntil}, while in the future, is when the secret before the last rotation stops signing.
     */
    public record WebhookEndpoint(String id, String url, String description, List<String> eventTypes,
                                  boolean enabled, String disabledReason, String health, int consecutiveFailures,
                                  Instant lastSuccessAt, Instant lastFailureAt, Instant secretRotatedAt,
                                  Instant previousSecretUntil, Instant createdAt) {

        public WebhookEndpoint {
            eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        }
    }

    /** An endpoint and its signing secret ({@code whsec_…}), which no other answer shows. */
    public record IssuedWebhook(WebhookEndpoint endpoint, String signingSecret) {

        @Override
        public String toString() {
            return "IssuedWebhook[" + (endpoint == null ? null : endpoint.id()) + "]";
        }
    }

    /** One delivery of an event to the endpoint: what the portal's delivery log shows, never the payload. */
    public record WebhookDelivery(long id, String eventId, String eventType, String endpointId, String endpointUrl,
                                  DeliveryStatus status, int attempts, Integer lastStatusCode, String lastError,
                                  String lastResponse, Instant lastAttemptAt, Instant nextAttemptAt,
                                  Instant deliveredAt, Instant createdAt) {
    }

    /** {@link #UNKNOWN} stands for a state added to the API after this client was built. */
    public enum DeliveryStatus {
        PENDING, DELIVERED, FAILED,
        @JsonEnumDefaultValue UNKNOWN
    }

    /** A page of deliveries; {@code nextCursor} is null on the last. */
    public record DeliveryPage(List<WebhookDelivery> items, String nextCursor) {

        public DeliveryPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    private record EndpointList(List<WebhookEndpoint> items) {

        EndpointList {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    private record TestEvent(String eventId) {
    }
}
