package io.plugboard.credential;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.Destination;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The check on every use of a stored credential secret: it is opened only for the destination it was sealed for.
 * The connector's current destination must equal the fingerprint stored beside the secret, and it is also the
 * associated data the secret is opened with, so rewriting the stored fingerprint in SQL does not help either.
 * This is what holds when no editor was involved: an operator's file, an upgraded built-in file, a DB edit.
 */
@Component
class DestinationGuard {

    /** The connector's destination is not the one the secret was entered for. */
    static final String CONNECTOR_CHANGED = "connector_changed";

    private final SecretVault vault;
    private final CredentialStore store;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DestinationGuard(SecretVault vault, CredentialStore store, AuditLog audit, ApplicationEventPublisher events,
                     Clock clock) {
        this.vault = vault;
        this.store = store;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** Thrown before anything is opened: the caller sends nothing and marks the credential (see {@link #strand}). */
    static final class DestinationChangedException extends CredentialUnusableException {
        DestinationChangedException() {
            super(CredentialStatus.NEEDS_RECONNECT);
        }
    }

    /**
     * The secret, opened for the connector as it is now; {@link DestinationChangedException} when the destination
     * changed since it was sealed (or it was never bound), and a plain {@link CredentialUnusableException} when the
     * stored fingerprint matches but the ciphertext was sealed for another (the column was rewritten).
     */
    CredentialSecret open(UUID tenantId, String id, ConnectorDefinition connector, @Nullable String sealedFor,
                          byte[] sealed) {
        Destination now = Destination.of(connector);
        if (!now.matches(sealedFor)) {
            throw new DestinationChangedException();
        }
        try {
            return CredentialStore.JSON.readValue(vault.open(CredentialIds.binding(tenantId, id, now.fingerprint()),
                    sealed), CredentialSecret.class);
        } catch (SecretUnreadableException e) {
            // Not marked: a misconfigured master key fails the same way, and must not strand every credential.
            throw new CredentialUnusableException(CredentialStatus.NEEDS_RECONNECT);
        }
    }

    /**
     * Marks the credential NEEDS_RECONNECT in the caller's transaction, audits it and announces it (webhook
     * {@code credential.needs_reconnect}) the first time; a credential already marked or revoked is left alone.
     */
    void strand(UUID tenantId, String id, String reason, @Nullable AuditActor actor) {
        if (store.markNeedsReconnect(tenantId, id, reason, clock.instant()) == 0) {
            return;
        }
        CredentialView after = store.find(tenantId, id).orElseThrow();
        var record = AuditRecord.of("credential.needs_reconnect", tenantId).target("credential", id)
                .detail("connector", after.appKey()).detail("endUser", after.endUserId()).detail("reason", reason);
        if (actor == null) {
            audit.record(record);
        } else {
            audit.record(actor, record);
        }
        events.publishEvent(CredentialEvents.NeedsReconnect.of(tenantId, after, reason));
    }

    /** Found on use (proxy, console, refresh job): nobody asked for it, so the system is the actor. */
    void strandOnUse(UUID tenantId, String id) {
        strand(tenantId, id, CONNECTOR_CHANGED, AuditActor.SYSTEM);
    }
}
