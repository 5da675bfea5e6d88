package io.plugboard.sync;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.credential.CredentialEvents;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.security.TenantScope;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A sync paused because its credential could not be used resumes by itself once the credential can be used again:
 * reconnected (through a connect session, the portal or the API) or its token refresh recovered. It carries on from
 * its checkpoints. A sync a tenant admin paused stays paused: only they resume it. The credential package announces
 * the change as an event, so it need not know about syncs.
 */
@Component
class SyncReconnects {

    private final SyncStates states;
    private final SyncWorker worker;
    private final AuditLog audit;

    SyncReconnects(SyncStates states, SyncWorker worker, AuditLog audit) {
        this.states = states;
        this.worker = worker;
        this.audit = audit;
    }

    /** In the reconnect's transaction: the sync resumes exactly when the reconnect is committed. */
    @EventListener
    @Transactional
    public void on(CredentialEvents.Reconnected event) {
        resume(event, "credential reconnected");
    }

    @EventListener
    @Transactional
    public void on(CredentialEvents.RefreshRecovered event) {
        resume(event, "credential token refresh recovered");
    }

    private void resume(CredentialEvents.CredentialEvent event, String reason) {
        if (event.status() != CredentialStatus.ACTIVE) {
            return;
        }
        // Whoever reconnected (an end user on a connect page, a background refresh), the sync states are its tenant's.
        int resumed = TenantScope.tenant(event.tenantId(),
                () -> states.resumeForCredential(event.tenantId(), event.credentialId()));
        if (resumed == 0) {
            return;
        }
        audit.record(AuditActor.SYSTEM, AuditRecord.of("sync.resumed", event.tenantId())
                .target("credential", event.credentialId()).reason(reason).detail("models", resumed));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                worker.wake();
            }
        });
    }
}
