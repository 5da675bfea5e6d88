package io.plugboard.webhook;

import io.plugboard.audit.AuditCheckpoint;
import io.plugboard.connect.ConnectSessionCompleted;
import io.plugboard.credential.CredentialEvents;
import io.plugboard.credential.ProviderRevocationState;
import io.plugboard.sync.SyncEvents;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON a receiver gets: {@code {"id", "type", "createdAt", "tenant", "data"}}. Built from the application
 * events, which carry ids, connector, end user, status and metadata and never a secret.
 */
final class WebhookPayloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The most record ids one {@code records.changed} event lists; more are split into parts. */
    static final int IDS_PER_EVENT = 500;

    /** What is stored in the outbox and sent as the body. */
    record Payload(String id, String type, String createdAt, String tenant, Map<String, Object> data) {

        String json() {
            return JSON.writeValueAsString(this);
        }
    }

    private WebhookPayloads() {
    }

    static String newEventId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "evt_" + HexFormat.of().formatHex(bytes);
    }

    static WebhookEventType typeOf(CredentialEvents.CredentialEvent event) {
        return switch (event) {
            case CredentialEvents.Created e -> WebhookEventType.CREDENTIAL_CREATED;
            case CredentialEvents.Reconnected e -> WebhookEventType.CREDENTIAL_RECONNECTED;
            case CredentialEvents.Revoked e -> WebhookEventType.CREDENTIAL_REVOKED;
            case CredentialEvents.MetadataUpdated e -> WebhookEventType.CREDENTIAL_METADATA_UPDATED;
            case CredentialEvents.RefreshFailed e -> WebhookEventType.CREDENTIAL_REFRESH_FAILED;
            case CredentialEvents.RefreshRecovered e -> WebhookEventType.CREDENTIAL_REFRESH_RECOVERED;
            case CredentialEvents.NeedsReconnect e -> WebhookEventType.CREDENTIAL_NEEDS_RECONNECT;
            case CredentialEvents.ProviderRevocationUpdated e -> WebhookEventType.CREDENTIAL_PROVIDER_REVOCATION_UPDATED;
        };
    }

    static Payload of(CredentialEvents.CredentialEvent event, Instant at) {
        var data = new LinkedHashMap<String, Object>();
        data.put("credentialId", event.credentialId());
        data.put("appKey", event.appKey());
        data.put("endUserId", event.endUserId());
        data.put("status", event.status().name());
        data.put("metadata", event.metadata());
        if (event instanceof CredentialEvents.RefreshFailed failed) {
            data.put("error", failed.error());
        }
        if (event instanceof CredentialEvents.Revoked revoked && revoked.providerRevocation() != null) {
            data.put("providerRevocation", providerRevocation(revoked.providerRevocation()));
        }
        if (event instanceof CredentialEvents.ProviderRevocationUpdated updated) {
            data.put("providerRevocation", providerRevocation(updated.providerRevocation()));
        }
        if (event instanceof CredentialEvents.NeedsReconnect stranded) {
            data.put("reason", stranded.reason());
        }
        return new Payload(newEventId(), typeOf(event).wireName(), timestamp(at), event.tenantId().toString(), data);
    }

    static Payload of(ConnectSessionCompleted event, Instant at) {
        var data = new LinkedHashMap<String, Object>();
        data.put("connectSessionId", event.sessionId());
        data.put("credentialId", event.credentialId());
        data.put("appKey", event.appKey());
        data.put("endUserId", event.endUserId());
        data.put("reconnect", event.reconnect());
        data.put("status", event.status().name());
        data.put("metadata", event.metadata());
        return new Payload(newEventId(), WebhookEventType.CONNECT_SESSION_COMPLETED.wireName(), timestamp(at),
                event.tenantId().toString(), data);
    }

    /**
     * A sync event's payloads: one, but a {@code records.changed} listing more than {@link #IDS_PER_EVENT} ids is
     * split into parts of that many ids (created first, then updated, then deleted), each telling the whole
     * change's counts and which part of how many it is.
     */
    static List<Payload> of(SyncEvents.SyncEvent event, Instant at) {
        var data = new LinkedHashMap<String, Object>();
        data.put("credentialId", event.credentialId());
        data.put("appKey", event.appKey());
        data.put("endUserId", event.endUserId());
        data.put("model", event.model());
        return switch (event) {
            case SyncEvents.Failed failed -> {
                data.put("error", failed.error());
                yield List.of(payload(WebhookEventType.SYNC_FAILED, event, data, at));
            }
            case SyncEvents.Recovered recovered -> {
                data.put("failedRuns", recovered.failures());
                yield List.of(payload(WebhookEventType.SYNC_RECOVERED, event, data, at));
            }
            case SyncEvents.RecordsChanged changed -> recordsChanged(changed, data, at);
        };
    }

    private static List<Payload> recordsChanged(SyncEvents.RecordsChanged changed, Map<String, Object> common,
                                                Instant at) {
        var counts = new LinkedHashMap<String, Object>();
        counts.put("created", changed.created().size());
        counts.put("updated", changed.updated().size());
        counts.put("deleted", changed.deleted().size());
        int total = changed.created().size() + changed.updated().size() + changed.deleted().size();
        int parts = Math.max(1, (total + IDS_PER_EVENT - 1) / IDS_PER_EVENT);
        var payloads = new ArrayList<Payload>(parts);
        for (int part = 0; part < parts; part++) {
            int from = part * IDS_PER_EVENT;
            int to = Math.min(total, from + IDS_PER_EVENT);
            var data = new LinkedHashMap<>(common);
            data.put("counts", counts);
            data.put("created", slice(changed.created(), from, to, 0));
            data.put("updated", slice(changed.updated(), from, to, changed.created().size()));
            data.put("deleted", slice(changed.deleted(), from, to,
                    changed.created().size() + changed.updated().size()));
            data.put("part", part + 1);
            data.put("parts", parts);
            payloads.add(payload(WebhookEventType.RECORDS_CHANGED, changed, data, at));
        }
        return payloads;
    }

    /** The ids of {@code ids}, which start at {@code offset} of all ids, that fall in {@code [from, to)}. */
    private static List<String> slice(List<String> ids, int from, int to, int offset) {
        int start = Math.clamp(from - offset, 0, ids.size());
        int end = Math.clamp(to - offset, 0, ids.size());
        return ids.subList(start, end);
    }

    private static Payload payload(WebhookEventType type, SyncEvents.SyncEvent event, Map<String, Object> data,
                                   Instant at) {
        return new Payload(newEventId(), type.wireName(), timestamp(at), event.tenantId().toString(), data);
    }

    /** The checkpoint exactly as in the checkpoint file, so a receiver can keep it for {@code audit-verify}. */
    static Payload of(AuditCheckpoint checkpoint, UUID tenantId, Instant at) {
        return new Payload(newEventId(), WebhookEventType.AUDIT_CHECKPOINT.wireName(), timestamp(at),
                tenantId.toString(), checkpoint.fields());
    }

    static Payload test(UUID tenantId, UUID endpointId, Instant at) {
        var data = new LinkedHashMap<String, Object>();
        data.put("endpointId", endpointId.toString());
        data.put("message", "A test event sent from the Plugboard portal. Verify its signature like any other.");
        return new Payload(newEventId(), WebhookEventType.TEST, timestamp(at), tenantId.toString(), data);
    }

    /** Status, attempts, when the last attempt was made and, if it failed, a summary of why (no token, no body). */
    private static Map<String, Object> providerRevocation(ProviderRevocationState state) {
        var data = new LinkedHashMap<String, Object>();
        data.put("status", state.status().wireName());
        data.put("attempts", state.attempts());
        data.put("lastAttemptAt", state.lastAttemptAt() == null ? null : timestamp(state.lastAttemptAt()));
        data.put("lastError", state.lastError());
        data.put("nextAttemptAt", state.nextAttemptAt() == null ? null : timestamp(state.nextAttemptAt()));
        return data;
    }

    /** ISO-8601 in UTC to the millisecond, e.g. {@code 2025-06-01T12:00:00.123Z}. */
    private static String timestamp(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
    }
}
