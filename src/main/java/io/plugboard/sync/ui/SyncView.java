package io.plugboard.sync.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.sync.CredentialSync;
import io.plugboard.sync.SyncOverview;
import io.plugboard.sync.SyncService;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.Toasts;
import io.plugboard.universal.UniversalConsole;
import jakarta.annotation.security.RolesAllowed;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Sync to DB per credential and model: how each stands, and for those who may change the tenant's data, turning it
 * on, run now, pause and resume. Every action goes through {@link SyncService}, audited as the API's are.
 */
@Route("sync")
@PageTitle("Sync")
@Menu(order = 12, icon = "vaadin:refresh", title = "Sync")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.AUDITOR, AppRoles.SUPPORT})
class SyncView extends Main {

    private final SyncService sync;
    private final UniversalConsole crms;
    /** Cards shown at first, and added by each "Show more". */
    static final int PAGE = 20;

    private final Div list = new Div();
    private int shown = PAGE;
    private UUID tenantId;
    private boolean canEdit;
    private Map<String, String> connectorNames = Map.of();

    SyncView(SyncService sync, UniversalConsole crms, TenantConnectors connectors, CurrentUser currentUser) {
        this.sync = sync;
        this.crms = crms;
        addClassName("page");
        Optional<TenantContext> context = currentUser.tenant();
        if (context.isEmpty()) {
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        tenantId = context.get().tenantId();
        canEdit = currentUser.mayChangeTenantData();
        connectorNames = connectors.all(tenantId).stream()
                .collect(Collectors.toMap(CatalogEntry::appKey, CatalogEntry::name, (a, b) -> a));

        var lead = new Paragraph("Plugboard keeps a copy of each synced CRM's people, notes, tasks and users in its "
                + "database: a backfill first, then only what changed, every few minutes. A run that fails is retried "
                + "with backoff; a credential that needs reconnecting pauses its sync until it is reconnected, and a revoked "
                + "one's synced records are deleted after the retention period.");
        lead.addClassName("lead");
        var toolbar = new Div();
        toolbar.addClassName("toolbar");
        var refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        if (canEdit) {
            var turnOn = new Button("Turn on sync", VaadinIcon.PLUS.create(), e -> new SyncSettingsDialog(sync, crms,
                    tenantId, null, List.of(), this::describe, this::refresh).open());
            turnOn.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(turnOn);
        }
        toolbar.add(refresh);
        list.addClassName("sync-list");
        add(lead, toolbar, list);
        refresh();
    }

    /**
     * The first {@link #shown} synced credentials, one more read to know whether "Show more" has anything to show:
     * the page's states and credentials are two statements however many cards there are.
     */
    private void refresh() {
        list.removeAll();
        List<CredentialSync> synced = sync.overview(tenantId, Math.min(shown + 1, SyncService.MAX_OVERVIEW));
        if (synced.isEmpty()) {
            list.add(new Paragraph(canEdit ? "No credential is synced yet: “Turn on sync” chooses one and its models."
                    : "No credential is synced yet."));
        }
        synced.stream().limit(shown).forEach(s -> list.add(card(s)));
        if (synced.size() > shown) {
            var more = new Button("Show more", e -> {
                shown = Math.min(shown + PAGE, SyncService.MAX_OVERVIEW - 1);
                refresh();
            });
            more.addClassName("sync-more");
            list.add(more);
        }
    }

    private Component card(CredentialSync synced) {
        CredentialView credential = synced.credential();
        String connector = connectorNames.getOrDefault(credential.appKey(), credential.appKey());
        var title = new H3(credential.label() == null ? connector : credential.label());
        var detail = new Span(connector + " · " + credential.endUserId() + " · " + credential.status().label());
        detail.addClassName("muted");
        var open = new Anchor("credentials/" + URLEncoder.encode(credential.id(), StandardCharsets.UTF_8),
                credential.id());
        open.addClassName("mono");
        var head = new Div(Monogram.of(credential.appKey(), connector), new Div(title, detail, open));
        head.addClassName("connector-cell");
        var top = new Div(head);
        top.addClassName("sync-card-head");
        if (canEdit) {
            top.add(actions(synced));
        }
        var card = new Div(top);
        if (synced.purgeAt() != null) {
            card.add(SyncDetailSection.purgeNotice(synced.purgeAt()));
        }
        card.add(new SyncStatusGrid(synced.models()));
        card.addClassName("sync-card");
        card.getElement().setAttribute("data-credential", credential.id());
        return card;
    }

    private Component actions(CredentialSync synced) {
        CredentialView credential = synced.credential();
        boolean paused = synced.models().stream().allMatch(m -> m.state().equals("paused"));
        var run = new Button("Run now", VaadinIcon.PLAY.create(), e -> act(() -> sync.runNow(tenantId, credential.id()),
                "Every model of " + credential.id() + " runs now"));
        run.setEnabled(!paused);
        var pauseOrResume = paused
                ? new Button("Resume", e -> act(() -> sync.resume(tenantId, credential.id()), "Resumed"))
                : new Button("Pause", e -> act(() -> sync.pause(tenantId, credential.id()), "Paused"));
        pauseOrResume.setEnabled(!paused || credential.status() == CredentialStatus.ACTIVE);
        var settings = new Button("Settings", e -> new SyncSettingsDialog(sync, crms, tenantId, credential,
                synced.models(), this::describe, this::refresh).open());
        for (Button b : List.of(run, pauseOrResume, settings)) {
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        }
        var actions = new Div(run, pauseOrResume, settings);
        actions.addClassName("sync-actions");
        return actions;
    }

    private void act(Supplier<SyncOverview> action, String done) {
        try {
            action.get();
            Toasts.success(done);
        } catch (InvalidRequestException | NotFoundException ex) {
            Toasts.error(ex.getMessage());
        }
        refresh();
    }

    private String describe(CredentialView credential) {
        String connector = connectorNames.getOrDefault(credential.appKey(), credential.appKey());
        return (credential.label() == null ? connector : credential.label() + " · " + connector) + " · "
                + credential.endUserId();
    }
}
