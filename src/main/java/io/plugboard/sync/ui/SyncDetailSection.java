package io.plugboard.sync.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.ui.CredentialDetailSection;
import io.plugboard.sync.SyncService;
import io.plugboard.sync.SyncStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The credential detail's Sync section: its sync per model, as the Sync page shows it, and a link there. */
@org.springframework.stereotype.Component
class SyncDetailSection implements CredentialDetailSection {

    private final SyncService sync;

    SyncDetailSection(SyncService sync) {
        this.sync = sync;
    }

    /** Nothing for a credential whose CRM cannot be synced. */
    @Override
    public Optional<com.vaadin.flow.component.Component> section(UUID tenantId, CredentialView credential) {
        List<SyncStatus> models = sync.status(tenantId, credential.id()).models();
        if (models.isEmpty() && sync.syncableModels(tenantId, credential.id()).isEmpty()) {
            return Optional.empty();
        }
        com.vaadin.flow.component.Component status = models.isEmpty()
                ? new Span("Sync is off for this credential.") : new SyncStatusSummary(models);
        var link = new Anchor("sync", models.isEmpty() ? "Turn it on on the Sync page" : "Manage on the Sync page");
        link.addClassName("muted");
        var section = new Div(new H4("Sync"), status, link);
        section.addClassName("credential-sync");
        return Optional.of(section);
    }
}
