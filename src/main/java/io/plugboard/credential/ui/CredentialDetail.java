package io.plugboard.credential.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditSubject;
import io.plugboard.audit.AuditLog;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition.MetadataField;
import io.plugboard.credential.CredentialChange;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.ProviderRevocationState;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.Toasts;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;

/**
 * Everything about one credential but its secret: facts, metadata editing, what other features add (its sync), its
 * audit history, revoke.
 */
class CredentialDetail extends Div {

    private final CredentialService credentials;
    private final AuditLog audit;
    private final List<CredentialDetailSection> sections;
    private final UUID tenantId;
    private final Map<String, CatalogEntry> connectors;
    private final boolean canEdit;
    private final Runnable onChanged;
    private final Runnable onClose;

    CredentialDetail(CredentialService credentials, AuditLog audit, List<CredentialDetailSection> sections, UUID tenantId,
                     Map<String, CatalogEntry> connectors, boolean canEdit, Runnable onChanged, Runnable onClose) {
        this.credentials = credentials;
        this.audit = audit;
        this.sections = sections;
        this.tenantId = tenantId;
        this.connectors = connectors;
        this.canEdit = canEdit;
        this.onChanged = onChanged;
        this.onClose = onClose;
        addClassName("detail-panel");
        setVisible(false);
    }

    void show(CredentialView credential) {
        removeAll();
        setVisible(true);
        CatalogEntry connector = connectors.get(credential.appKey());
        String connectorName = connector == null ? credential.appKey() : connector.name();
        var close = new Button("Close", e -> onClose.run());
        close.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        var title = new H3(credential.label() == null ? connectorName : credential.label());
        var head = new Div(Monogram.of(credential.appKey(), connectorName), title);
        head.addClassName("connector-cell");
        var top = new Div(head, close);
        top.getStyle().set("display", "flex").set("justify-content", "space-between").set("align-items", "center");
        add(top, facts(credential, connectorName, connector));
        if (connector != null && credential.status() != CredentialStatus.REVOKED) {
            add(metadataForm(credential, connector));
        }
        if (canEdit && credential.status() != CredentialStatus.REVOKED) {
            var reconnect = new Button("Reconnect", e -> getUI().ifPresent(ui ->
                    ui.navigate("connect-launch", com.vaadin.flow.router.QueryParameters.of("reconnect", credential.id()))));
            if (credential.status() == CredentialStatus.REFRESH_FAILED
                    || credential.status() == CredentialStatus.NEEDS_RECONNECT) {
                reconnect.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            }
            var test = new Button("Test", e -> getUI().ifPresent(ui -> ui.navigate("console",
                    com.vaadin.flow.router.QueryParameters.simple(java.util.Map.of("credential", credential.id(), "run", "test")))));
            var revoke = new Button("Revoke credential", e -> confirmRevoke(credential, connectorName));
            revoke.addThemeVariants(ButtonVariant.LUMO_ERROR);
            var actions = new Div(test, reconnect, revoke);
            actions.getStyle().set("display", "flex").set("gap", ".5rem").set("flex-wrap", "wrap");
            add(actions);
        }
        sections.forEach(section -> section.section(tenantId, credential).ifPresent(this::add));
        add(history(credential.id(), credential.endUserId()));
    }

    private Component facts(CredentialView c, String connectorName, CatalogEntry connector) {
        var list = new DescriptionList();
        var id = new Span(c.id());
        id.addClassName("mono");
        var copy = new Button("Copy id", e -> getUI().ifPresent(ui -> ui.getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", c.id())));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        list.add(new DescriptionList.Term("Id"),
                new DescriptionList.Description(id, copy));
        addFact(list, "Connector", connectorName);
        addFact(list, "Status", status(c));
        addFact(list, "End user", c.endUserId() + (c.endUserName() == null ? "" : " · " + c.endUserName())
                + (c.endUserEmail() == null ? "" : " · " + c.endUserEmail()));
        c.config().forEach((key, value) -> addFact(list, connector == null ? key : connector.definition().formFields()
                .stream().filter(f -> f.key().equals(key)).map(f -> f.label()).findFirst().orElse(key), value));
        if (!c.scopes().isEmpty()) {
            addFact(list, "Scopes", String.join(" ", c.scopes()));
        }
        addFact(list, "Created", Formats.dateTime(c.createdAt()));
        addFact(list, "Last used", Formats.dateTime(c.lastUsedAt()));
        addFact(list, "Last refreshed", Formats.dateTime(c.lastRefreshedAt()));
        addFact(list, "Token expires", Formats.dateTime(c.expiresAt()));
        if (c.revokedAt() != null) {
            addFact(list, "Revoked", Formats.dateTime(c.revokedAt()) + " by " + c.revokedBy());
        }
        var atProvider = c.providerRevocation();
        if (atProvider != null && atProvider.attempts() > 0) {
            addFact(list, "At provider", providerAttempts(atProvider));
        }
        return list;
    }

    /** "Revoked here · at provider: pending" for a revoked credential; its status's label otherwise. */
    static String status(CredentialView c) {
        return c.status() == CredentialStatus.REVOKED && c.providerRevocation() != null
                ? c.providerRevocation().describe() : c.status().label();
    }

    /** The attempts to revoke at the provider: how many, the last one and why it failed, the next one if due. */
    private static String providerAttempts(ProviderRevocationState state) {
        var text = new StringBuilder().append(state.attempts()).append(state.attempts() == 1 ? " attempt" : " attempts")
                .append(", last ").append(Formats.dateTime(state.lastAttemptAt()));
        if (state.lastError() != null) {
            text.append(" (").append(state.lastError()).append(')');
        }
        if (state.nextAttemptAt() != null) {
            text.append("; next ").append(Formats.dateTime(state.nextAttemptAt()));
        }
        return text.toString();
    }

    private static void addFact(DescriptionList list, String term, String value) {
        list.add(new DescriptionList.Term(term),
                new DescriptionList.Description(value));
    }

    private Component metadataForm(CredentialView credential, CatalogEntry connector) {
        var form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        var label = new TextField("Label");
        label.setValue(credential.label() == null ? "" : credential.label());
        label.setReadOnly(!canEdit);
        form.add(label);
        var fields = new LinkedHashMap<String, HasValue<?, ?>>();
        for (MetadataField field : connector.definition().metadataFields()) {
            Object current = credential.metadata().get(field.key());
            HasValue<?, ?> input = switch (field.type()) {
                case STRING -> {
                    var t = new TextField(field.label());
                    t.setValue(current == null ? "" : current.toString());
                    t.setRequiredIndicatorVisible(field.isRequired());
                    yield t;
                }
                case NUMBER -> {
                    var n = new BigDecimalField(field.label());
                    n.setValue(current == null ? null : new BigDecimal(current.toString()));
                    n.setRequiredIndicatorVisible(field.isRequired());
                    yield n;
                }
                case BOOLEAN -> new Checkbox(field.label(), Boolean.TRUE.equals(current));
            };
            input.setReadOnly(!canEdit);
            fields.put(field.key(), input);
            form.add((Component) input);
        }
        var section = new Div(new H4("Label and metadata"), form);
        if (canEdit) {
            var save = new Button("Save", e -> {
                var metadata = new LinkedHashMap<String, Object>();
                fields.forEach((key, input) -> {
                    Object value = input.getValue();
                    if (value != null && !(value instanceof String s && s.isBlank())) {
                        metadata.put(key, value);
                    }
                });
                try {
                    CredentialView saved = credentials.update(tenantId, credential.id(),
                            new CredentialChange(label.getValue(), metadata));
                    Toasts.success("Saved");
                    onChanged.run();
                    show(saved);
                } catch (InvalidRequestException | NotFoundException ex) {
                    Toasts.error(ex.getMessage());
                }
            });
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
            section.add(save);
        }
        return section;
    }

    private void confirmRevoke(CredentialView credential, String connectorName) {
        var dialog = new ConfirmDialog("Revoke this " + connectorName + " credential?",
                "Plugboard asks " + connectorName + " to revoke the tokens where it can, then destroys the stored secret. "
                        + "The credential can never be used again; the end user must connect anew.",
                "Revoke", e -> {
                    try {
                        CredentialView revoked = credentials.revoke(tenantId, credential.id());
                        Toasts.success("Revoked " + credential.id());
                        onChanged.run();
                        show(revoked);
                    } catch (NotFoundException ex) {
                        Toasts.error(ex.getMessage());
                    }
                });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }

    private Component history(String credentialId, String endUserId) {
        var list = new Div();
        list.addClassName("history");
        var subject = new AuditSubject(AuditSubject.CREDENTIAL, credentialId);
        for (AuditEvent event : audit.timeline(tenantId, subject, PageRequest.of(0, 20))) {
            var line = new Div(new Span(Formats.dateTime(event.occurredAt()) + " · " + event.action()),
                    new Div(new Span("by " + (event.actorLabel() == null ? event.actorType() : event.actorLabel())
                            + (event.sourceIp() == null ? "" : " from " + event.sourceIp()))));
            if (event.reason() != null) {
                line.add(new Div(new Span("Reason: " + event.reason())));
            }
            line.addClassName("event");
            list.add(line);
        }
        if (list.getChildren().findAny().isEmpty()) {
            list.add(new Span("No recorded events."));
        }
        var timeline = new Anchor("audit/timeline/credential/" + encode(credentialId), "Full timeline");
        var endUser = new Anchor("audit/timeline/end_user/" + encode(endUserId), "End user’s timeline");
        var links = new Div(timeline, new Span(" · "), endUser);
        links.addClassName("muted");
        return new Div(new H4("History"), list, links);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
