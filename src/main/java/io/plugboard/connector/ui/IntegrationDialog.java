package io.plugboard.connector.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationSettings;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.ui.Monogram;
import io.plugboard.ui.Toasts;
import java.util.Arrays;
import java.util.UUID;

/** One connector's details and this tenant's integration of it. The stored client secret is never shown. */
class IntegrationDialog extends Dialog {

    IntegrationDialog(IntegrationService integrations, ConnectorSettingsService connectorSettings,
                      CustomConnectorService customs, UUID tenantId, CatalogEntry entry, boolean canEdit,
                      Runnable onChange) {
        ConnectorDefinition d = entry.definition();
        IntegrationSettings settings = integrations.settings(tenantId, d.appKey());
        setHeaderTitle(d.name());
        setWidth("min(640px, 96vw)");

        var facts = new Div(Monogram.of(d.appKey(), d.name()),
                new Span(d.category().label() + " · " + d.authMode().label() + " · appKey " + d.appKey()));
        facts.addClassName("connector-cell");
        add(facts);
        if (d.docsUrl() != null) {
            var docs = new Anchor(d.docsUrl(), "Provider documentation");
            docs.setTarget("_blank");
            docs.getElement().setAttribute("rel", "noopener noreferrer");
            add(new Paragraph(docs));
        }
        var api = new Paragraph("API: " + d.api().baseUrl());
        api.addClassName("muted");
        add(api);

        var enabled = new Checkbox("Enabled: end users may connect " + d.name(), settings.enabled());
        var clientId = new TextField("Client ID of your OAuth app");
        clientId.setValue(settings.clientId() == null ? "" : settings.clientId());
        var clientSecret = new PasswordField("Client secret");
        clientSecret.setRevealButtonVisible(false);
        clientSecret.setPlaceholder(settings.clientSecretStored() ? "Stored — leave empty to keep it" : "");
        var scopes = new TextField("Scopes");
        scopes.setValue(String.join(" ", settings.scopes().isEmpty() && d.oauth() != null ? d.oauth().scopes()
                : settings.scopes()));
        scopes.setHelperText("Separated by spaces.");
        var form = new FormLayout(enabled);
        form.setColspan(enabled, 2);
        boolean authCode = d.authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
        if (authCode) {
            var redirect = new TextField("Redirect URI to register at " + d.name());
            redirect.setValue(integrations.redirectUri());
            redirect.setReadOnly(true);
            var copy = new Button("Copy", e -> getUI().ifPresent(ui -> ui.getPage()
                    .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", integrations.redirectUri())));
            copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
            redirect.setSuffixComponent(copy);
            form.add(clientId, clientSecret, scopes, redirect);
            form.setColspan(redirect, 2);
        } else if (d.authMode() == AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
            form.add(scopes);
        }
        for (var field : new com.vaadin.flow.component.HasValue<?, ?>[] {enabled, clientId, clientSecret, scopes}) {
            field.setReadOnly(!canEdit);
        }
        add(form);
        var settingsForm = d.settingFields().isEmpty() ? null
                : new ConnectorSettingsForm(d, connectorSettings.settings(tenantId, d.appKey()), canEdit);
        if (settingsForm != null) {
            add(settingsForm);
        }
        if (d.authMode() == AuthMode.OAUTH2_CLIENT_CREDENTIALS && canEdit) {
            add(checkSection(integrations, tenantId, d));
        }

        getFooter().add(new Button("Close", e -> close()));
        if (canEdit && entry.source() == ConnectorSource.CUSTOM) {
            getFooter().add(new Button("Edit definition", e -> {
                close();
                new CustomConnectorDialog(customs, tenantId, d, onChange).open();
            }));
        }
        if (canEdit) {
            var save = new Button("Save", e -> {
                try {
                    // Settings first: one the service refuses leaves everything as it was.
                    if (settingsForm != null && settingsForm.changed()) {
                        connectorSettings.update(tenantId, d.appKey(), settingsForm.update());
                    }
                    integrations.update(tenantId, d.appKey(), new IntegrationUpdate(enabled.getValue(),
                            clientId.getValue(), clientSecret.getValue(), Arrays.asList(scopes.getValue().split("\\s+"))));
                    Toasts.success("Saved " + d.name());
                    close();
                    onChange.run();
                } catch (InvalidRequestException | NotFoundException ex) {
                    Toasts.error(ex.getMessage());
                }
            });
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            getFooter().add(save);
        }
    }

    private static Div checkSection(IntegrationService integrations, UUID tenantId, ConnectorDefinition d) {
        var heading = new H4("Check configuration");
        var explanation = new Paragraph("End users paste their own client ID and secret when they connect. To check "
                + "the token endpoint and scopes now, enter a pair (it is not stored).");
        explanation.addClassName("muted");
        var id = new TextField("Client ID");
        var secret = new PasswordField("Client secret");
        var result = new Paragraph();
        result.addClassName("check-result");
        var check = new Button("Check configuration", e -> {
            try {
                result.setText(integrations.checkClientCredentials(tenantId, d.appKey(), id.getValue(), secret.getValue()));
            } catch (InvalidRequestException ex) {
                result.setText(ex.getMessage());
            }
        });
        return new Div(heading, explanation, new FormLayout(id, secret), check, result);
    }
}
