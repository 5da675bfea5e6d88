package io.plugboard.connector.ui;

import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSettings;
import io.plugboard.connector.ConnectorSettingsUpdate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant's settings of a connector beside its OAuth app. Plain settings show their values; a secret one only
 * whether it is set: its value never goes to the browser, and an empty field keeps it.
 */
class ConnectorSettingsForm extends Div {

    private final Map<String, TextField> plain = new LinkedHashMap<>();
    private final Map<String, PasswordField> secret = new LinkedHashMap<>();
    private final ConnectorSettings stored;

    ConnectorSettingsForm(ConnectorDefinition d, ConnectorSettings stored, boolean canEdit) {
        this.stored = stored;
        addClassName("connector-settings");
        var explanation = new Paragraph("Entered once for all of this tenant's " + d.name() + " connections and sent "
                + "with every call as " + String.join(", ", d.tenantSettings().headerTemplates().keySet())
                + ". A header whose setting is empty is not sent.");
        explanation.addClassName("muted");
        var form = new FormLayout();
        for (var setting : d.settingFields()) {
            if (setting.isSecret()) {
                var field = new PasswordField(setting.label());
                field.setRevealButtonVisible(false);
                field.setPlaceholder(stored.secretsStored().contains(setting.key())
                        ? "Set — enter a new value to replace it" : "Not set");
                field.setHelperText(setting.help());
                field.setReadOnly(!canEdit);
                secret.put(setting.key(), field);
                form.add(field);
            } else {
                var field = new TextField(setting.label());
                field.setValue(stored.values().getOrDefault(setting.key(), ""));
                field.setHelperText(setting.help());
                field.setReadOnly(!canEdit);
                plain.put(setting.key(), field);
                form.add(field);
            }
        }
        add(new H4("Integration settings"), explanation, form);
    }

    /** Whether the admin changed anything: saving nothing is not a change to audit. */
    boolean changed() {
        return plain.entrySet().stream().anyMatch(e -> !e.getValue().getValue().strip()
                .equals(stored.values().getOrDefault(e.getKey(), "")))
                || secret.values().stream().anyMatch(f -> !f.getValue().isBlank());
    }

    ConnectorSettingsUpdate update() {
        var values = new LinkedHashMap<String, String>();
        plain.forEach((key, field) -> values.put(key, field.getValue()));
        var secrets = new LinkedHashMap<String, String>();
        secret.forEach((key, field) -> secrets.put(key, field.getValue()));
        return new ConnectorSettingsUpdate(values, secrets);
    }
}
