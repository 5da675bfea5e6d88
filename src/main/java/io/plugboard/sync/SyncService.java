package io.plugboard.sync;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.security.CurrentUser;
import io.plugboard.universal.UniversalMappings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A tenant admin's door to Sync to DB: turning it on per credential and model, its status, run now, pause and
 * resume. The credential is looked up as its other operations do (another tenant's answers 404); every change is
 * audited.
 */
@Service
public class SyncService {

    /** The most credentials one overview shows: the Sync page grows by a page at a time up to this. */
    public static final int MAX_OVERVIEW = 1_000;

    private final CredentialService credentials;
    private final UniversalMappings mappings;
    private final SyncStates states;
    private final SyncWorker worker;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final SyncHosts hosts;
    private final SyncRetention retention;

    SyncService(CredentialService credentials, UniversalMappings mappings, SyncStates states, SyncWorker worker,
                AuditLog audit, CurrentUser currentUser, SyncHosts hosts, SyncRetention retention) {
        this.credentials = credentials;
        this.mappings = mappings;
        this.states = states;
        this.worker = worker;
        this.audit = audit;
        this.currentUser = currentUser;
        this.hosts = hosts;
        this.retention = retention;
    }

    @PreAuthorize("isAuthenticated()")
    public SyncOverview status(UUID tenantId, String credentialId) {
        CredentialView credential = credentials.get(tenantId, credentialId);
        return overview(tenantId, credential);
    }

    /**
     * The first {@code limit} credentials of the tenant whose sync is on, newest credential first, with their
     * models: two statements (the states of the page, then its credentials) however many are shown.
     */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public List<CredentialSync> overview(UUID tenantId, int limit) {
        currentUser.requireTenant(tenantId);
        if (limit < 1 || limit > MAX_OVERVIEW) {
            throw new InvalidRequestException("limit: must be from 1 to " + MAX_OVERVIEW);
        }
        var page = states.pageTenant(tenantId, limit);
        var views = credentials.get(tenantId, page.keySet());
        return page.entrySet().stream().filter(e -> views.containsKey(e.getKey()))
                .map(e -> {
                    CredentialView credential = views.get(e.getKey());
                    return new CredentialSync(credential, e.getValue(), purgeAt(tenantId, credential));
                }).toList();
    }

    /** The models the credential's CRM can list, which are those it can sync (none for a CRM no mapping covers). */
    @PreAuthorize("isAuthenticated()")
    public List<String> syncableModels(UUID tenantId, String credentialId) {
        CredentialView credential = credentials.get(tenantId, credentialId);
        Map<String, Boolean> listable = mappings.listable(credential.appKey());
        return SyncModel.keys().stream().filter(listable::containsKey).toList();
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT', 'SUPPORT')")
    @Transactional
    public SyncOverview configure(UUID tenantId, String credentialId, SyncSettings settings) {
        currentUser.requireWritableTenant(tenantId);
        CredentialView credential = credentials.get(tenantId, credentialId);
        if (credential.status() == CredentialStatus.REVOKED) {
            throw new InvalidRequestException("A revoked credential cannot be synced.");
        }
        int frequency = frequency(settings.frequencyMinutes());
        List<SyncModel> models = models(credential, settings.models());
        states.configure(tenantId, credential.id(), models, frequency);
        states.noteHost(tenantId, credential.id(), hosts.of(tenantId, credential));
        audit.record(AuditRecord.of("sync.configured", tenantId).target("credential", credential.id())
                .detail("connector", credential.appKey())
                .detail("models", String.join(",", models.stream().map(SyncModel::key).toList()))
                .detail("frequencyMinutes", frequency));
        wakeAfterCommit();
        return overview(tenantId, credential);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT', 'SUPPORT')")
    @Transactional
    public SyncOverview runNow(UUID tenantId, String credentialId) {
        CredentialView credential = configured(tenantId, credentialId);
        if (states.runNow(tenantId, credential.id()) == 0) {
            throw new InvalidRequestException("The sync of this credential is paused; resume it first.");
        }
        audit.record(AuditRecord.of("sync.run.requested", tenantId).target("credential", credential.id()));
        wakeAfterCommit();
        return overview(tenantId, credential);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT', 'SUPPORT')")
    @Transactional
    public SyncOverview pause(UUID tenantId, String credentialId) {
        CredentialView credential = configured(tenantId, credentialId);
        if (states.pause(tenantId, credential.id()) > 0) {
            audit.record(AuditRecord.of("sync.paused", tenantId).target("credential", credential.id()));
        }
        return overview(tenantId, credential);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT', 'SUPPORT')")
    @Transactional
    public SyncOverview resume(UUID tenantId, String credentialId) {
        CredentialView credential = configured(tenantId, credentialId);
        if (credential.status() != CredentialStatus.ACTIVE) {
            throw new InvalidRequestException("The credential needs reconnecting before its sync can resume.");
        }
        if (states.resume(tenantId, credential.id()) > 0) {
            audit.record(AuditRecord.of("sync.resumed", tenantId).target("credential", credential.id()));
            wakeAfterCommit();
        }
        return overview(tenantId, credential);
    }

    private SyncOverview overview(UUID tenantId, CredentialView credential) {
        return new SyncOverview(credential.id(), states.list(tenantId, credential.id()),
                purgeAt(tenantId, credential));
    }

    /** For a revoked credential: when its synced data is (or was) deleted. */
    private @Nullable Instant purgeAt(UUID tenantId, CredentialView credential) {
        return retention.purgeAt(tenantId, credential.id(),
                credential.status() == CredentialStatus.REVOKED ? credential.revokedAt() : null);
    }

    /** This instance's worker looks at once, once the change is visible to it; others find it when they poll. */
    private void wakeAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                worker.wake();
            }
        });
    }

    /** The credential, when its sync is on; 404 otherwise (as for an unknown credential). */
    private CredentialView configured(UUID tenantId, String credentialId) {
        currentUser.requireWritableTenant(tenantId);
        CredentialView credential = credentials.get(tenantId, credentialId);
        if (states.list(tenantId, credential.id()).isEmpty()) {
            throw new NotFoundException("Sync of credential " + credential.id());
        }
        return credential;
    }

    private static int frequency(@Nullable Integer minutes) {
        if (minutes == null) {
            return SyncSettings.DEFAULT_FREQUENCY;
        }
        if (minutes < 1 || minutes > SyncSettings.MAX_FREQUENCY) {
            throw new InvalidRequestException("frequencyMinutes: must be from 1 to " + SyncSettings.MAX_FREQUENCY + ".");
        }
        return minutes;
    }

    /** The models asked for, each known and listable by the credential's CRM; 400 naming any other. */
    private List<SyncModel> models(CredentialView credential, @Nullable List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            throw new InvalidRequestException("models: name at least one of " + String.join(", ", SyncModel.keys())
                    + " (pause the sync to stop it).");
        }
        Map<String, Boolean> listable = mappings.listable(credential.appKey());
        if (listable.isEmpty()) {
            throw new InvalidRequestException("models: credential " + credential.id() + " is for " + credential.appKey()
                    + ", which the Universal CRM API does not map, so it cannot be synced.");
        }
        var models = new LinkedHashSet<SyncModel>();
        var refused = new ArrayList<String>();
        for (String name : asked) {
            var model = name == null ? null : SyncModel.of(name.strip()).orElse(null);
            if (model == null || !listable.containsKey(model.key())) {
                refused.add(name == null ? "null" : name.length() > 40 ? name.substring(0, 40) + "…" : name);
            } else {
                models.add(model);
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidRequestException("models: " + credential.appKey() + " cannot sync " + String.join(", ", refused)
                    + "; it can sync " + String.join(", ", listable.keySet()) + ".");
        }
        return models.stream().sorted().toList();
    }
}
