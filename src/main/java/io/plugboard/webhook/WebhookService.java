package io.plugboard.webhook;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.CurrentUser;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's webhook endpoints and their delivery log. Anyone acting in the tenant reads (auditors, customer
 * success after a switch); tenant admins change. Every change is audited; secrets leave only as an
 * {@link IssuedSecret}, once.
 *
 * <p>Each change is audited before it touches a row: the audit chain's lock is taken first, in the same order as
 * every change that writes the outbox, so endpoint changes and event-writing changes cannot deadlock (see
 * {@link DeliveryRecorder}). The audit event is in the same transaction, so a refused change leaves none.
 */
@Service
@Transactional(readOnly = true)
public class WebhookService {

    static final int MAX_ENDPOINTS = 20;
    /** The log counts exactly up to here and says "more than" beyond. */
    public static final long COUNT_CAP = 100_000;
    private static final int MAX_PAGE = 500;
    /** Who changes endpoints: the tenant's admins in the portal, and its backend with a tenant-wide API token. */
    private static final String ADMINS = "hasAnyRole('TENANT_ADMIN', 'API_TENANT')";

    private final WebhookStore store;
    private final EndpointUrls urls;
    private final SigningSecrets secrets;
    private final WebhookOutbox outbox;
    private final WebhookProperties properties;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    WebhookService(WebhookStore store, EndpointUrls urls, SigningSecrets secrets, WebhookOutbox outbox,
                   WebhookProperties properties, AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.store = store;
        this.urls = urls;
        this.secrets = secrets;
        this.outbox = outbox;
        this.properties = properties;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- reads

    @PreAuthorize("isAuthenticated()")
    public List<WebhookEndpoint> endpoints(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return store.endpoints(tenantId).stream().map(this::view).toList();
    }

    @PreAuthorize("isAuthenticated()")
    public WebhookEndpoint endpoint(UUID tenantId, UUID id) {
        currentUser.requireTenant(tenantId);
        return view(row(tenantId, id));
    }

    /** Newest first, one page at a time. */
    @PreAuthorize("isAuthenticated()")
    public List<Delivery> deliveries(UUID tenantId, DeliveryFilter filter, Pageable page) {
        currentUser.requireTenant(tenantId);
        return store.deliveries(tenantId, filter, page.getOffset(), Math.min(page.getPageSize(), MAX_PAGE));
    }

    /**
     * Newest first, the page after the delivery {@code beforeId} (null: from the newest): a cursor that neither
     * skips nor repeats rows when new deliveries arrive between pages, as offsets would.
     */
    @PreAuthorize("isAuthenticated()")
    public DeliveryPage deliveriesBefore(UUID tenantId, DeliveryFilter filter, @Nullable Long beforeId, int limit) {
        currentUser.requireTenant(tenantId);
        int size = Math.min(limit, MAX_PAGE);
        List<Delivery> rows = store.deliveriesBefore(tenantId, filter, beforeId, size + 1);
        return rows.size() > size ? new DeliveryPage(rows.subList(0, size), true) : new DeliveryPage(rows, false);
    }

    /** Exact up to {@link #COUNT_CAP}. */
    @PreAuthorize("isAuthenticated()")
    public long countDeliveries(UUID tenantId, DeliveryFilter filter) {
        currentUser.requireTenant(tenantId);
        return store.countDeliveries(tenantId, filter, COUNT_CAP);
    }

    @PreAuthorize("isAuthenticated()")
    public Delivery delivery(UUID tenantId, long id) {
        currentUser.requireTenant(tenantId);
        return store.delivery(tenantId, id).orElseThrow(() -> new NotFoundException("Delivery"));
    }

    @PreAuthorize("isAuthenticated()")
    public WebhookSummary summary(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return store.summary(tenantId, properties.unhealthyAfter());
    }

    // ---------------------------------------------------------------- changes

    @PreAuthorize(ADMINS)
    @Transactional
    public IssuedSecret create(UUID tenantId, EndpointInput input) {
        currentUser.requireWritableTenant(tenantId);
        URI url = urls.validate(input.url());
        List<String> types = eventTypes(input.eventTypes());
        String description = description(input.description());
        if (store.countEndpoints(tenantId) >= MAX_ENDPOINTS) {
            throw new InvalidRequestException("A tenant can have at most " + MAX_ENDPOINTS + " webhook endpoints.");
        }
        UUID id = UUID.randomUUID();
        String secret = SigningSecrets.generate();
        audit.record(AuditRecord.of("webhook.endpoint.created", tenantId).target("webhook_endpoint", id)
                .detail("url", url.toString()).detail("events", String.join(" ", types)));
        store.insertEndpoint(tenantId, id, url.toString(), description, types, secrets.sealCurrent(tenantId, id, secret),
                clock.instant());
        return new IssuedSecret(view(row(tenantId, id)), secret);
    }

    @PreAuthorize(ADMINS)
    @Transactional
    public WebhookEndpoint update(UUID tenantId, UUID id, EndpointInput input) {
        currentUser.requireWritableTenant(tenantId);
        WebhookStore.EndpointRow before = locked(tenantId, id);
        URI url = urls.validate(input.url());
        List<String> types = eventTypes(input.eventTypes());
        String description = description(input.description());
        audit.record(AuditRecord.of("webhook.endpoint.updated", tenantId).target("webhook_endpoint", id)
                .detail("urlBefore", before.url()).detail("url", url.toString())
                .detail("eventsBefore", String.join(" ", before.eventTypes())).detail("events", String.join(" ", types)));
        store.updateEndpoint(tenantId, id, url.toString(), description, types, clock.instant());
        return view(row(tenantId, id));
    }

    /**
     * A partial change in one transaction, under the endpoint's row lock: a null in {@code given} keeps that value
     * (an empty description removes it), a null {@code enabled} keeps the state. Audited as the separate changes
     * the portal makes (updated, enabled or disabled); a refused part refuses the whole.
     */
    @PreAuthorize(ADMINS)
    @Transactional
    public WebhookEndpoint change(UUID tenantId, UUID id, EndpointInput given, @Nullable Boolean enabled) {
        currentUser.requireWritableTenant(tenantId);
        WebhookStore.EndpointRow current = locked(tenantId, id);
        WebhookEndpoint changed = view(current);
        if (given.url() != null || given.description() != null || given.eventTypes() != null) {
            changed = update(tenantId, id, new EndpointInput(given.url() != null ? given.url() : current.url(),
                    given.description() != null ? given.description() : current.description(),
                    given.eventTypes() != null ? given.eventTypes() : current.eventTypes()));
        }
        if (enabled != null) {
            changed = setEnabled(tenantId, id, enabled);
        }
        return changed;
    }

    /** Disabled endpoints receive nothing; enabling resumes their pending deliveries and clears the failure streak. */
    @PreAuthorize(ADMINS)
    @Transactional
    public WebhookEndpoint setEnabled(UUID tenantId, UUID id, boolean enabled) {
        currentUser.requireWritableTenant(tenantId);
        WebhookStore.EndpointRow before = locked(tenantId, id);
        if (before.enabled() != enabled) {
            audit.record(AuditRecord.of(enabled ? "webhook.endpoint.enabled" : "webhook.endpoint.disabled", tenantId)
                    .target("webhook_endpoint", id).detail("url", before.url()));
            store.setEnabled(tenantId, id, enabled, "Disabled by an admin", clock.instant());
            if (enabled) {
                store.unparkPending(id, clock.instant());
            } else {
                store.parkPending(id);
            }
            if (enabled) {
                outbox.wakeAfterCommit();
            }
        }
        return view(row(tenantId, id));
    }

    /** Deletes the endpoint with its delivery log, pending deliveries included. */
    @PreAuthorize(ADMINS)
    @Transactional
    public void delete(UUID tenantId, UUID id) {
        currentUser.requireWritableTenant(tenantId);
        WebhookStore.EndpointRow before = locked(tenantId, id);
        audit.record(AuditRecord.of("webhook.endpoint.deleted", tenantId).target("webhook_endpoint", id)
                .detail("url", before.url()));
        store.deleteEndpoint(tenantId, id);
    }

    /**
     * Issues a new secret. For {@code plugboard.webhooks.secret-overlap} the old one signs too (a second {@code v1}),
     * so receivers can switch without losing a delivery; a rotation during an overlap ends the older overlap.
     */
    @PreAuthorize(ADMINS)
    @Transactional
    public IssuedSecret rotateSecret(UUID tenantId, UUID id) {
        currentUser.requireWritableTenant(tenantId);
        row(tenantId, id);
        Instant now = clock.instant();
        boolean overlap = !properties.secretOverlap().isZero();
        Instant until = overlap ? now.plus(properties.secretOverlap()) : null;
        audit.record(AuditRecord.of("webhook.endpoint.secret_rotated", tenantId).target("webhook_endpoint", id)
                .detail("previousSignsUntil", until == null ? "" : until.toString()));
        WebhookStore.EndpointRow row = store.lockEndpoint(tenantId, id).orElseThrow(() -> new NotFoundException("Webhook endpoint"));
        String secret = SigningSecrets.generate();
        store.rotateSecret(tenantId, id, secrets.sealCurrent(tenantId, id, secret),
                overlap ? secrets.currentAsPrevious(tenantId, id, row.secret()) : null, until, now);
        return new IssuedSecret(view(row(tenantId, id)), secret);
    }

    /** Queues a {@code webhook.test} event for this endpoint only; it shows in the delivery log like any other. */
    @PreAuthorize(ADMINS)
    @Transactional
    public String sendTest(UUID tenantId, UUID id) {
        currentUser.requireWritableTenant(tenantId);
        WebhookStore.EndpointRow row = row(tenantId, id);
        if (!row.enabled()) {
            throw new InvalidRequestException("The endpoint is disabled; enable it before sending a test event.");
        }
        Instant now = clock.instant();
        WebhookPayloads.Payload payload = WebhookPayloads.test(tenantId, id, now);
        audit.record(AuditRecord.of("webhook.test.sent", tenantId).target("webhook_endpoint", id)
                .detail("event", payload.id()));
        store.enqueueTest(tenantId, id, payload.id(), payload.json(), now, now.plus(properties.maxAge()));
        outbox.wakeAfterCommit();
        return payload.id();
    }

    /** Delivers again, now, with a fresh retry period: after a failure was fixed, or because the receiver lost it. */
    @PreAuthorize(ADMINS)
    @Transactional
    public Delivery redeliver(UUID tenantId, long deliveryId) {
        currentUser.requireWritableTenant(tenantId);
        Delivery delivery = store.delivery(tenantId, deliveryId).orElseThrow(() -> new NotFoundException("Delivery"));
        if (!locked(tenantId, delivery.endpointId()).enabled()) {
            throw new InvalidRequestException("The endpoint is disabled; enable it before redelivering.");
        }
        Instant now = clock.instant();
        audit.record(AuditRecord.of("webhook.delivery.redelivered", tenantId).target("webhook_delivery", deliveryId)
                .detail("endpoint", delivery.endpointId().toString()).detail("event", delivery.eventId())
                .detail("type", delivery.eventType()).detail("previousStatus", delivery.status().name()));
        if (store.redeliver(tenantId, deliveryId, now, now.plus(properties.maxAge())) == 0) {
            throw new InvalidRequestException("This delivery is being attempted right now; look again in a moment.");
        }
        outbox.wakeAfterCommit();
        return store.delivery(tenantId, deliveryId).orElseThrow();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Lock order for every transaction that changes an endpoint and its deliveries (here and in the worker's
     * {@link DeliveryRecorder}): the endpoint's row first, then delivery rows. Two such transactions taking them
     * the other way round deadlocked.
     */
    private WebhookStore.EndpointRow locked(UUID tenantId, UUID id) {
        return store.lockEndpoint(tenantId, id).orElseThrow(() -> new NotFoundException("Webhook endpoint"));
    }

    private WebhookStore.EndpointRow row(UUID tenantId, UUID id) {
        return store.endpoint(tenantId, id).orElseThrow(() -> new NotFoundException("Webhook endpoint"));
    }

    private WebhookEndpoint view(WebhookStore.EndpointRow row) {
        EndpointHealth health = !row.enabled() ? EndpointHealth.DISABLED
                : row.consecutiveFailures() >= properties.unhealthyAfter() ? EndpointHealth.FAILING : EndpointHealth.HEALTHY;
        Instant now = clock.instant();
        Instant overlap = row.previousSecretUntil() != null && now.isBefore(row.previousSecretUntil())
                ? row.previousSecretUntil() : null;
        return new WebhookEndpoint(row.id(), row.url(), row.description(), row.eventTypes(), row.enabled(),
                row.disabledReason(), health, row.consecutiveFailures(), row.lastSuccessAt(), row.lastFailureAt(),
                row.secretRotatedAt(), overlap, row.createdAt());
    }

    /** Known types only, in the catalogue's order, each once. */
    private static List<String> eventTypes(@Nullable List<String> given) {
        if (given == null || given.isEmpty()) {
            throw new InvalidRequestException("Events: choose at least one event type");
        }
        var chosen = new LinkedHashSet<String>();
        for (String type : given) {
            if (type == null || WebhookEventType.of(type.strip()).isEmpty()) {
                throw new InvalidRequestException("Events: unknown event type '" + type + "'; known are "
                        + String.join(", ", WebhookEventType.wireNames()));
            }
            chosen.add(type.strip());
        }
        return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).filter(chosen::contains).toList();
    }

    private static @Nullable String description(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > 200) {
            throw new InvalidRequestException("Description: must be at most 200 characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("Description: must be a single line");
        }
        return text;
    }
}
