package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectMessage;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.OAuthBindingCookie;
import io.plugboard.connect.OAuthStart;
import io.plugboard.connect.SignInWindows;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.ui.Monogram;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One connector's step: the fields the end user must give (prefilled ones shown read-only), the
 * metadata the company asks for, then either the provider's sign-in page or an immediate check.
 */
class ConnectForm extends Div {

    private final Map<String, HasValue<?, ?>> fields = new LinkedHashMap<>();
    private final Map<String, HasValue<?, ?>> metadata = new LinkedHashMap<>();
    private final Paragraph error = new Paragraph();
    private final ConnectTexts texts;

    ConnectForm(ConnectFlow flow, SignInWindows windows, ConnectFlow.Active active, CatalogEntry entry,
                ConnectTexts texts, String tenantName, @Nullable Runnable back, Consumer<Component> onOutcome) {
        this.texts = texts;
        ConnectorDefinition d = entry.definition();
        Locale locale = texts.locale();
        addClassName("connect-form");
        var head = new Div(Monogram.of(d.appKey(), d.name()), new H1(texts.get("form.title", d.name())));
        head.addClassName("connect-head");
        add(head);
        boolean oauth = d.authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
        add(new Paragraph(oauth ? texts.get("form.oauthLead", d.name(), tenantName)
                : texts.get("form.keyLead", d.name(), tenantName)));

        Map<String, String> prefill = flow.prefill(active, d.appKey());
        for (var field : d.formFields()) {
            if (oauth && field.isSecret()) {
                continue;
            }
            String label = field.label(locale);
            var input = field.isSecret() ? new PasswordField(label) : new TextField(label);
            if (input instanceof PasswordField) {
                // The reveal button's accessible name, which the Java API does not reach.
                input.getElement().executeJs("this.i18n = Object.assign({}, this.i18n, {reveal: $0})",
                        texts.get("form.reveal"));
            }
            input.setWidthFull();
            input.setRequiredIndicatorVisible(field.isRequired());
            String help = field.help(locale);
            if (help != null) {
                input.setHelperText(help);
            }
            String preset = prefill.get(field.key());
            if (preset != null && !preset.isBlank()) {
                input.setValue(preset);
                input.setReadOnly(true);
            }
            input.getElement().setAttribute("name", field.key());
            fields.put(field.key(), input);
            add(input);
        }
        Map<String, Object> presetMetadata = flow.presetMetadata(active, d.appKey());
        for (var field : d.metadataFields()) {
            if (presetMetadata.containsKey(field.key())) {
                continue;
            }
            HasValue<?, ?> input = switch (field.type()) {
                case STRING -> new TextField(field.label(locale));
                case NUMBER -> new BigDecimalField(field.label(locale));
                case BOOLEAN -> new Checkbox(field.label(locale));
            };
            if (input instanceof TextField t) {
                t.setWidthFull();
                t.setRequiredIndicatorVisible(field.isRequired());
            }
            ((Component) input).getElement().setAttribute("name", "metadata." + field.key());
            metadata.put(field.key(), input);
            add((Component) input);
        }

        error.addClassName("connect-error");
        error.getElement().setAttribute("role", "alert");
        error.setVisible(false);
        add(error);

        var go = new Button(oauth ? texts.get("form.continue", d.name()) : texts.get("form.connect"), e -> {
            error.setVisible(false);
            try {
                if (oauth) {
                    // Only at the top level: in a frame, SignInPopup takes the click and opens a popup instead.
                    OAuthStart start = flow.beginOAuth(active, d.appKey(), metadataValues(), fieldValues());
                    OAuthBindingCookie.set(VaadinServletRequest.getCurrent(), VaadinServletResponse.getCurrent(), start);
                    UI.getCurrent().getPage().setLocation(start.authorizationUrl().toString());
                } else {
                    onOutcome.accept(ConnectOutcome.success(flow.submit(active, d.appKey(), fieldValues(),
                            metadataValues()), flow.publicOrigin(), texts));
                }
            } catch (ConnectFailure failure) {
                error.setText(texts.get(failure.text()));
                error.setVisible(true);
            }
        });
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        go.addClassName("connect-go");
        go.setDisableOnClick(true);
        go.addClickListener(e -> go.setEnabled(true));
        var actions = new Div(go);
        actions.addClassName("connect-actions");
        if (oauth) {
            var popup = new SignInPopup(this, flow, windows, active, d.name(), texts,
                    () -> flow.beginOAuth(active, d.appKey(), metadataValues(), fieldValues()), this::showError,
                    onOutcome, go);
            actions.add(popup.panel());
        }
        if (back != null) {
            actions.add(new Button(texts.get("form.back"), e -> back.run()));
        }
        add(actions);
    }

    /** Null hides the message. */
    private void showError(@Nullable ConnectMessage message) {
        error.setText(message == null ? "" : texts.get(message));
        error.setVisible(message != null);
    }

    private Map<String, String> fieldValues() {
        var values = new LinkedHashMap<String, String>();
        fields.forEach((key, input) -> {
            Object value = input.getValue();
            if (value != null && !value.toString().isBlank()) {
                values.put(key, value.toString());
            }
        });
        return values;
    }

    private Map<String, Object> metadataValues() {
        var values = new LinkedHashMap<String, Object>();
        metadata.forEach((key, input) -> {
            Object value = input.getValue();
            if (value != null && !(value instanceof String s && s.isBlank())) {
                values.put(key, value);
            }
        });
        return values;
    }
}
