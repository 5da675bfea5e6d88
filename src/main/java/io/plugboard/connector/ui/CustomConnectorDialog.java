package io.plugboard.connector.ui;

import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextArea;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.DestinationChangeUnconfirmed;
import io.plugboard.connector.DestinationImpact;
import io.plugboard.ui.Toasts;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;

/**
 * Creates or edits a tenant custom connector in the same YAML format as the catalog files, with every
 * problem named by field before anything is saved.
 */
class CustomConnectorDialog extends Dialog {

    static final String TEMPLATE = """
            appKey: my-crm
            name: My CRM
            category: CRM
            docsUrl: https://docs.example.com/api
            authMode: API_KEY
            api:
              baseUrl: https://api.example.com/v1
              auth:
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
            fields:
              - key: apiKey
                label: API key
                secret: true
            metadata:
              - key: venue
                label: Venue
                type: STRING
                required: false
            testRequest:
              method: GET
              path: /me
            """;

    CustomConnectorDialog(CustomConnectorService customs, UUID tenantId, @Nullable ConnectorDefinition existing,
                          Runnable onSaved) {
        setHeaderTitle(existing == null ? "New custom connector" : "Edit " + existing.name());
        setWidth("min(760px, 96vw)");
        var help = new Paragraph("Describe the provider in the catalog's YAML format: auth mode "
                + "(OAUTH2_AUTHORIZATION_CODE, OAUTH2_CLIENT_CREDENTIALS, API_KEY, BASIC), the API base URL and how the "
                + "secret is sent (BEARER, BASIC, HEADER, QUERY), the fields your end users fill in, and metadata. "
                + "Every key is described in the format's ");
        var schema = new Anchor("connectors/schema.json", "JSON Schema");
        schema.setTarget(AnchorTarget.BLANK);
        help.add(schema, new Text(", which editors can check a draft against."));
        help.addClassName("muted");
        var yaml = new TextArea("Definition");
        yaml.setValue(existing == null ? TEMPLATE : customs.toYaml(existing));
        yaml.setWidthFull();
        yaml.setMinHeight("380px");
        yaml.addClassName("mono");
        var errors = new Paragraph();
        errors.addClassName("form-error");
        add(help);
        if (existing != null && customs.supportUser()) {
            // The service refuses it too; said up front so customer success do not edit what cannot be saved.
            var readOnly = new Paragraph("As customer success you can change names, labels, help texts and metadata "
                    + "fields, but not where this connector sends secrets: API and OAuth URLs, allowed hosts, how the "
                    + "secret is sent and the connection check stay as they are.");
            readOnly.addClassName("muted");
            add(readOnly);
        }
        add(yaml, errors);
        // Set once the service said what a destination change strands; saving again then confirms exactly that.
        var confirmation = new AtomicReference<DestinationImpact>();
        var save = new Button("Save connector");
        save.addClickListener(e -> {
            try {
                ConnectorDefinition definition = customs.parse(yaml.getValue());
                if (existing != null && !existing.appKey().equals(definition.appKey())) {
                    throw new InvalidRequestException("appKey: cannot change from " + existing.appKey());
                }
                DestinationImpact confirmed = confirmation.get();
                customs.save(tenantId, definition, confirmed);
                Toasts.success("Saved " + definition.name() + (confirmed == null ? "" : afterwards(confirmed)));
                close();
                onSaved.run();
            } catch (DestinationChangeUnconfirmed ex) {
                confirmation.set(ex.impact());
                errors.setText(ex.impact().describe() + " Existing credentials stop working until their end users "
                        + "reconnect. Nothing is saved until you choose “Confirm and save”.");
                save.setText("Confirm and save");
                save.addThemeVariants(ButtonVariant.LUMO_ERROR);
            } catch (InvalidRequestException ex) {
                errors.setText(ex.getMessage());
            } catch (AccessDeniedException ex) {
                errors.setText(ex.getMessage());
            }
        });
        // Another edit after the warning needs its own: the confirmation covers what was shown, nothing else.
        yaml.addValueChangeListener(e -> {
            if (confirmation.getAndSet(null) != null) {
                // The warning was about the text as it was; saving the new one says what that strands.
                errors.setText("");
                save.setText("Save connector");
                save.removeThemeVariants(ButtonVariant.LUMO_ERROR);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }

    /** What the admin has to do next after a confirmed destination change: ". 2 credentials need reconnecting; ..." */
    static String afterwards(DestinationImpact impact) {
        var parts = new ArrayList<String>();
        if (impact.credentials() > 0) {
            parts.add(impact.credentials() + (impact.credentials() == 1 ? " credential needs" : " credentials need")
                    + " reconnecting");
        }
        if (impact.oauthAppSecret()) {
            parts.add("enter the OAuth app secret again under the connector");
        }
        if (impact.secretSettings()) {
            parts.add("enter the secret integration settings again under the connector");
        }
        return parts.isEmpty() ? "" : ". " + String.join("; ", parts) + ".";
    }
}
