package io.plugboard.sync.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.ui.CredentialDetailSection;
import io.plugboard.sync.SyncOverview;
import io.plugboard.sync.SyncService;
import io.plugboard.sync.SyncStatus;
import io.plugboard.ui.Formats;
import java.time.Instant;
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
        SyncOverview overview = sync.status(tenantId, credential.id());
        List<SyncStatus> models = overview.models();
        Instant purgeAt = overview.purgeAt();
        boolean purged = purgeAt != null && models.isEmpty();
        if (models.isEmpty() && !purged && sync.syncableModels(tenantId, credential.id()).isEmpty()) {
            return Optional.empty();
        }
        var section = new Div(new H4("Sync"));
        if (purgeAt != null) {
            section.add(purgeNotice(purgeAt));
        }
        if (!models.isEmpty()) {
            section.add(new SyncStatusSummary(models));
        } else if (!purged) {
            section.add(new Span("Sync is off for this credential."));
        }
        if (credential.status() != CredentialStatus.REVOKED || !models.isEmpty()) {
            var link = new Anchor("sync", models.isEmpty() ? "Turn it on on the Sync page" : "Manage on the Sync page");
            link.addClassName("muted");
            section.add(link);
        }
        section.addClassName("credential-sync");
        return Optional.of(section);
    }

    /** A revoked credential's synced data goes after the retention period: when, or when it went. */
    static Span purgeNotice(Instant purgeAt) {
        var notice = new Span("Revoked: synced records " + (purgeAt.isAfter(Instant.now()) ? "deleted on " : "were deleted on ")
                + Formats.dateTime(purgeAt) + ".");
        notice.addClassNames("badge", "warn", "sync-purge");
        return notice;
    }
}
