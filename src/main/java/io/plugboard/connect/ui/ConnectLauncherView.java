package io.plugboard.connect.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connect.ConnectLanguage;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.ConnectSessionStatus;
import io.plugboard.connect.CreatedConnectSession;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.Inputs;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantContext;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Admins launch a connection flow for an end user: the link opens in a new window, its expiry counts
 * down, and the new credential appears here when the end user finishes — no reload needed.
 */
@Route("connect-launch")
@PageTitle("Connect an account")
@Menu(order = 15, icon = "vaadin:plug", title = "Connect an account")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.SUPPORT})
class ConnectLauncherView extends Main implements BeforeEnterObserver {

    static final String RESERVED = "“tenant” and ids starting with “tenant:” are reserved for the tenant’s own API "
            + "tokens. Choose another id.";

    private final ConnectSessionService sessions;
    private final CredentialService credentials;
    private final Clock clock;
    /** Null only for customer success who have not chosen a tenant. */
    private final @Nullable UUID tenantId;
    private final TextField endUserId = new TextField("End user id");
    private final EmailField email = new EmailField("E-mail (optional)");
    private final TextField name = new TextField("Name (optional)");
    private final MultiSelectComboBox<CatalogEntry> connectors = new MultiSelectComboBox<>("Connectors");
    /** Empty: the end user's browser chooses. */
    private final Select<String> language = new Select<>();
    private final Div session = new Div();
    private @Nullable String reconnectId;
    private @Nullable String sessionId;
    private @Nullable Instant expiresAt;
    private final Span countdown = new Span();
    private final Div result = new Div();
    private @Nullable Registration polling;

    ConnectLauncherView(ConnectSessionService sessions, CredentialService credentials, TenantConnectors catalog,
                        IntegrationService integrations, CurrentUser currentUser, Clock clock) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.clock = clock;
        addClassName("page");
        TenantContext tenant = currentUser.tenant().orElse(null);
        if (tenant == null) {
            this.tenantId = null;
            add(new Paragraph("Choose a tenant with “Switch tenant” first."));
            return;
        }
        this.tenantId = tenant.tenantId();
        var lead = new Paragraph("Send an end user a link to connect their account, or open it yourself while you "
                + "help them. Links are valid for 30 minutes.");
        lead.addClassName("lead");
        List<CatalogEntry> enabled = catalog.all(tenantId).stream()
                .filter(e -> integrations.enabled(tenantId, e.appKey())).toList();
        connectors.setItems(enabled);
        connectors.setItemLabelGenerator(CatalogEntry::name);
        connectors.setHelperText(enabled.isEmpty() ? "Enable connectors on the Connectors page first."
                : "Leave empty to offer every enabled connector.");
        endUserId.setRequired(true);
        endUserId.setHelperText("Your own id for this person or account.");
        language.setLabel("Language of the connect page");
        language.setItems(Stream.concat(Stream.of(""), ConnectLanguage.LANGUAGES.stream()).toList());
        language.setItemLabelGenerator(tag -> tag.isEmpty() ? "The end user’s browser decides" : ownName(tag));
        language.setValue("");
        language.setHelperText("Otherwise the page follows the browser’s languages, else English.");
        var form = new FormLayout(endUserId, email, name, connectors, language);
        var launch = new Button("Create link", e -> launch());
        launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var card = new Div(form, launch);
        if (!currentUser.mayChangeTenantData()) {
            // Customer success in a read-only support session: the service would refuse the link anyway.
            launch.setEnabled(false);
            var readOnly = new Paragraph("Enable changes for this support session to create connect links.");
            readOnly.addClassName("muted");
            card.add(readOnly);
        }
        card.addClassName("card");
        session.addClassName("card");
        session.setVisible(false);
        add(lead, card, session);
    }

    /** A language named in itself, as a list item: that is how the end user would recognise it. */
    private static String ownName(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        String name = locale.getDisplayLanguage(locale);
        return name.substring(0, 1).toUpperCase(locale) + name.substring(1);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (tenantId == null) {
            return;
        }
        event.getLocation().getQueryParameters().getSingleParameter("reconnect").ifPresent(id -> {
            try {
                CredentialView credential = credentials.get(tenantId, id);
                reconnectId = credential.id();
                endUserId.setValue(credential.endUserId());
                endUserId.setReadOnly(true);
                connectors.getListDataView().getItems().filter(c -> c.appKey().equals(credential.appKey()))
                        .findFirst().ifPresent(c -> connectors.setValue(java.util.Set.of(c)));
                connectors.setReadOnly(true);
                Toasts.success("Reconnecting " + credential.id() + ": the link re-authenticates it and keeps its id.");
            } catch (NotFoundException e) {
                Toasts.error("Credential not found.");
            }
        });
    }

    private void launch() {
        if (Inputs.reservedEndUserId(endUserId.getValue())) {
            endUserId.setErrorMessage(RESERVED);
            endUserId.setInvalid(true);
            return;
        }
        try {
            var request = new NewConnectSession(new NewConnectSession.EndUser(endUserId.getValue(), email.getValue(),
                    name.getValue()), connectors.getValue().stream().map(CatalogEntry::appKey).toList(), null, null,
                    null, reconnectId, language.getValue().isEmpty() ? null : language.getValue());
            show(sessions.create(tenantId, request));
        } catch (InvalidRequestException | NotFoundException e) {
            Toasts.error(e.getMessage());
        }
    }

    private void show(CreatedConnectSession created) {
        sessionId = created.sessionId();
        expiresAt = created.expiresAt();
        session.removeAll();
        session.setVisible(true);
        var link = new TextField("Connect link");
        link.setValue(created.connectUrl());
        link.setReadOnly(true);
        link.setWidthFull();
        link.addClassName("connect-link");
        var copy = new Button("Copy link", e -> UI.getCurrent().getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", created.connectUrl()));
        var open = new Button("Open in a new window", e -> UI.getCurrent().getPage()
                .executeJs("window.open($0, 'plugboard-connect', 'popup=yes,width=480,height=720')", created.connectUrl()));
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var refresh = new Button("Refresh link", e -> show(sessions.refresh(tenantId, created.sessionId())));
        var cancel = new Button("Cancel link", e -> {
            sessions.cancel(tenantId, created.sessionId());
            sessionId = null;
            session.setVisible(false);
            Toasts.success("Link cancelled");
        });
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        countdown.addClassName("count-label");
        result.removeAll();
        result.addClassName("connect-result");
        session.add(new H3("Waiting for the end user"), link, new Div(copy, open, refresh, cancel), countdown, result);
        tick();
    }

    /** Polled by the UI every two seconds while a link is out: expiry countdown and completion. */
    private void tick() {
        if (sessionId == null || expiresAt == null) {
            return;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        countdown.setText(left.isNegative() ? "The link has expired — refresh it to get a new one."
                : String.format("Expires in %d:%02d", left.toMinutes(), left.toSecondsPart()));
        ConnectSessionStatus status = sessions.status(tenantId, sessionId);
        if (!status.credentialIds().isEmpty() && result.getChildren().count() != status.credentialIds().size()) {
            result.removeAll();
            for (String id : status.credentialIds()) {
                var anchor = new Anchor("credentials/" + id, id);
                result.add(new Div(new Span("Connected: "), anchor));
            }
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().setPollInterval(2000);
        polling = event.getUI().addPollListener(e -> tick());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        event.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
        }
    }
}
