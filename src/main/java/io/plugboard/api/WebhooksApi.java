package io.plugboard.api;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.common.TextInput;
import io.plugboard.webhook.Delivery;
import io.plugboard.webhook.DeliveryFilter;
import io.plugboard.webhook.DeliveryPage;
import io.plugboard.webhook.DeliveryStatus;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.IssuedSecret;
import io.plugboard.webhook.WebhookEndpoint;
import io.plugboard.webhook.WebhookEventType;
import io.plugboard.webhook.WebhookService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal's webhook page over the API, for a tenant-wide token: the same {@link WebhookService} calls, so the
 * same validation (the URL's destination check included), limits and audit events. Signing secrets leave only in
 * the answer to creation and rotation.
 */
@RestController
@Tag(name = "Webhooks")
class WebhooksApi {

    private static final int MAX_LIMIT = 500;

    private final WebhookService webhooks;
    private final ApiTenant tenant;

    WebhooksApi(WebhookService webhooks, ApiTenant tenant) {
        this.webhooks = webhooks;
        this.tenant = tenant;
    }

    record WebhookList(List<WebhookEndpoint> items) {
    }

    record NewWebhook(
            @Schema(description = "https URL of your receiver", example = "https://api.example.com/plugboard/webhooks")
            @Nullable String url,
            @Schema(description = "a note for your team, one line, at most 200 characters") @Nullable String description,
            @Schema(description = "event types to receive; absent: every type but audit.checkpoint",
                    example = "[\"credential.created\", \"credential.revoked\"]")
            @Nullable List<String> eventTypes) {
    }

    record WebhookChange(
            @Schema(description = "absent: unchanged") @Nullable String url,
            @Schema(description = "absent: unchanged; empty: removed") @Nullable String description,
            @Schema(description = "absent: unchanged") @Nullable List<String> eventTypes,
            @Schema(description = "false: receives nothing, pending deliveries wait; true: resumes them")
            @Nullable Boolean enabled) {
    }

    @Schema(description = "The endpoint and its signing secret. The secret is shown only in this answer; "
            + "store it with your receiver.")
    record IssuedWebhook(WebhookEndpoint endpoint, String signingSecret) {

        static IssuedWebhook of(IssuedSecret issued) {
            return new IssuedWebhook(issued.endpoint(), issued.secret());
        }

        @Override
        public String toString() {
            return "IssuedWebhook[" + endpoint.id() + "]";
        }
    }

    record WebhookTestEvent(String eventId) {
    }

    record DeliveryList(List<Delivery> items, @Nullable String nextCursor) {
    }

    @GetMapping("/api/v1/webhooks")
    @Operation(summary = "The tenant's webhook endpoints with their health (never their secrets)")
    WebhookList list() {
        return new WebhookList(webhooks.endpoints(tenant.id()));
    }

    @PostMapping("/api/v1/webhooks")
    @Operation(summary = "Add an endpoint; the answer holds its signing secret, shown only this once")
    ResponseEntity<IssuedWebhook> create(@RequestBody NewWebhook request) {
        List<String> types = request.eventTypes() != null ? request.eventTypes()
                : WebhookEventType.preselected().stream().map(WebhookEventType::wireName).toList();
        IssuedSecret created = webhooks.create(tenant.id(), input(request.url(), request.description(), types));
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.endpoint().id()))
                .body(IssuedWebhook.of(created));
    }

    @GetMapping("/api/v1/webhooks/{id}")
    @Operation(summary = "One endpoint (never its secret)")
    WebhookEndpoint get(@PathVariable String id) {
        return webhooks.endpoint(tenant.id(), endpointId(id));
    }

    @PatchMapping("/api/v1/webhooks/{id}")
    @Operation(summary = "Change the URL, description or event types, or disable or enable the endpoint")
    WebhookEndpoint update(@PathVariable String id, @RequestBody WebhookChange change) {
        return webhooks.change(tenant.id(), endpointId(id), input(change.url(), change.description(),
                change.eventTypes()), change.enabled());
    }

    @DeleteMapping("/api/v1/webhooks/{id}")
    @Operation(summary = "Delete the endpoint with its delivery log, pending deliveries included")
    ResponseEntity<Void> delete(@PathVariable String id) {
        webhooks.delete(tenant.id(), endpointId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/webhooks/{id}/rotate-secret")
    @Operation(summary = "Issue a new signing secret, shown only in this answer; the old one keeps signing too for "
            + "the overlap the endpoint's previousSecretUntil shows")
    IssuedWebhook rotateSecret(@PathVariable String id) {
        return IssuedWebhook.of(webhooks.rotateSecret(tenant.id(), endpointId(id)));
    }

    @PostMapping("/api/v1/webhooks/{id}/test")
    @Operation(summary = "Queue a webhook.test event for this endpoint only; it shows in its deliveries")
    ResponseEntity<WebhookTestEvent> sendTest(@PathVariable String id) {
        String eventId = webhooks.sendTest(tenant.id(), endpointId(id));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new WebhookTestEvent(eventId));
    }

    @GetMapping("/api/v1/webhooks/{id}/deliveries")
    @Operation(summary = "The endpoint's deliveries, newest first, with cursor pagination (no payloads, no secrets)")
    DeliveryList deliveries(@PathVariable String id,
                            @Parameter(description = "PENDING, DELIVERED or FAILED")
                            @RequestParam(required = false) @Nullable String status,
                            @Parameter(description = "nextCursor of the previous page")
                            @RequestParam(required = false) @Nullable String cursor,
                            @RequestParam(defaultValue = "50") int limit) {
        UUID endpointId = endpointId(id);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit: must be between 1 and " + MAX_LIMIT);
        }
        DeliveryFilter filter = new DeliveryFilter(endpointId, status(status));
        webhooks.endpoint(tenant.id(), endpointId);
        DeliveryPage page = webhooks.deliveriesBefore(tenant.id(), filter, cursor(cursor), limit);
        Long next = page.nextBeforeId();
        return new DeliveryList(page.items(), next == null ? null : Long.toString(next));
    }

    @PostMapping("/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Deliver again now, with a fresh retry period")
    ResponseEntity<Delivery> redeliver(@PathVariable String id, @PathVariable String deliveryId) {
        UUID endpointId = endpointId(id);
        long delivery = deliveryId(deliveryId);
        if (!webhooks.delivery(tenant.id(), delivery).endpointId().equals(endpointId)) {
            throw new NotFoundException("Delivery");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(webhooks.redeliver(tenant.id(), delivery));
    }

    private static EndpointInput input(@Nullable String url, @Nullable String description,
                                       @Nullable List<String> eventTypes) {
        TextInput.line("url", url, 2000);
        TextInput.line("description", description, 200);
        TextInput.lines("eventTypes", eventTypes, 100);
        return new EndpointInput(url, description, eventTypes);
    }

    /** An id that is not one of this tenant's endpoints is simply not found, whatever its form. */
    private static UUID endpointId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("Webhook endpoint");
        }
    }

    private static long deliveryId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("Delivery");
        }
    }

    private static @Nullable Long cursor(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("cursor: use the nextCursor of the previous page");
        }
    }

    private static @Nullable DeliveryStatus status(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeliveryStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status: must be one of " + Arrays.stream(DeliveryStatus.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
