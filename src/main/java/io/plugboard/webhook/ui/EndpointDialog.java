package io.plugboard.webhook.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.WebhookEndpoint;
import io.plugboard.webhook.WebhookEventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Adds or edits an endpoint: its URL, a note, and the events it receives. Errors stay in the dialog. */
final class EndpointDialog extends Dialog {

    private final TextField url = new TextField("URL");
    private final TextField description = new TextField("Description");
    private final CheckboxGroup<WebhookEventType> events = new CheckboxGroup<>("Events");
    private final Span error = new Span();

    EndpointDialog(@Nullable WebhookEndpoint existing, Consumer<EndpointInput> save) {
        setHeaderTitle(existing == null ? "Add webhook endpoint" : "Edit webhook endpoint");
        setWidth("min(640px, 95vw)");
        url.setPlaceholder("https://api.example.com/plugboard/webhooks");
        url.setHelperText("Plugboard POSTs signed JSON here. It must answer 2xx within the timeout.");
        url.setWidthFull();
        description.setWidthFull();
        description.setMaxLength(200);
        events.setItems(WebhookEventType.values());
        events.setItemLabelGenerator(t -> t.wireName() + " — " + t.description());
        events.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        error.addClassName("form-error");
        if (existing != null) {
            url.setValue(existing.url());
            description.setValue(existing.description() == null ? "" : existing.description());
            events.setValue(EnumSet.copyOf(existing.eventTypes().stream()
                    .map(t -> WebhookEventType.of(t).orElseThrow()).toList()));
        } else {
            events.setValue(WebhookEventType.preselected());
        }
        var form = new VerticalLayout(url, description, events, error);
        form.setPadding(false);
        add(form);

        var saveButton = new Button("Save endpoint", e -> {
            try {
                save.accept(new EndpointInput(url.getValue(), description.getValue(), chosen()));
                close();
            } catch (InvalidRequestException | NotFoundException ex) {
                error.setText(ex.getMessage());
            }
        });
        saveButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), saveButton);
    }

    private List<String> chosen() {
        return Arrays.stream(WebhookEventType.values()).filter(events.getValue()::contains)
                .map(WebhookEventType::wireName).toList();
    }
}
