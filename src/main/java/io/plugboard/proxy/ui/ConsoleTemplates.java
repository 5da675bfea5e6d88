package io.plugboard.proxy.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.proxy.ApiConsole;
import io.plugboard.proxy.RequestTemplate;
import io.plugboard.proxy.RequestTemplates;
import io.plugboard.ui.Toasts;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Saved requests per connector: pick one to fill the composer, save the composed request under a name for
 * one connector, or delete the picked one. Lists the templates of the selected credentials' connectors.
 */
final class ConsoleTemplates extends Div {

    private final RequestTemplates templates;
    private final UUID tenantId;
    private final Supplier<List<String>> selectedConnectors;
    private final Function<String, String> connectorName;
    private final ComboBox<RequestTemplate> picker = new ComboBox<>("Template");
    private final Button delete = new Button(VaadinIcon.TRASH.create());

    ConsoleTemplates(RequestTemplates templates, UUID tenantId, Supplier<List<String>> selectedConnectors,
                     Function<String, String> connectorName, Supplier<ApiConsole.ConsoleRequest> composed,
                     Supplier<String> headersText, Consumer<RequestTemplate> apply) {
        this.templates = templates;
        this.tenantId = tenantId;
        this.selectedConnectors = selectedConnectors;
        this.connectorName = connectorName;
        addClassName("toolbar");
        picker.setItemLabelGenerator(t -> connectorName.apply(t.appKey()) + " · " + t.name());
        picker.setPlaceholder("none");
        picker.setClearButtonVisible(true);
        picker.setWidth("20rem");
        picker.addValueChangeListener(e -> {
            delete.setEnabled(e.getValue() != null);
            if (e.getValue() != null) {
                apply.accept(e.getValue());
            }
        });
        var save = new Button("Save as template…", VaadinIcon.BOOKMARK.create(),
                e -> askName(composed.get(), headersText.get()));
        save.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        delete.setAriaLabel("Delete the selected template");
        delete.setTooltipText("Delete the selected template");
        delete.setEnabled(false);
        delete.addClickListener(e -> {
            RequestTemplate picked = picker.getValue();
            if (picked != null) {
                templates.delete(tenantId, picked.id());
                Toasts.success("Deleted template “" + picked.name() + "”.");
                refresh();
            }
        });
        add(picker, delete, save);
        refresh();
    }

    /** Lists the templates of the connectors now selected (all, when none is). */
    void refresh() {
        RequestTemplate picked = picker.getValue();
        List<RequestTemplate> items = templates.list(tenantId, selectedConnectors.get());
        picker.setItems(items);
        if (picked != null && items.contains(picked)) {
            picker.setValue(picked);
        }
    }

    private void askName(ApiConsole.ConsoleRequest request, String headers) {
        List<String> connectors = selectedConnectors.get();
        if (connectors.isEmpty()) {
            Toasts.error("Choose a credential first: a template belongs to its connector.");
            return;
        }
        if (request.path().isBlank()) {
            Toasts.error("Enter a path before saving the request.");
            return;
        }
        var dialog = new Dialog();
        dialog.setHeaderTitle("Save as template");
        var connector = new Select<String>();
        connector.setLabel("Connector");
        connector.setItems(connectors);
        connector.setItemLabelGenerator(connectorName::apply);
        connector.setValue(connectors.getFirst());
        connector.setVisible(connectors.size() > 1);
        var name = new TextField("Name");
        name.setMaxLength(80);
        name.setRequired(true);
        name.setWidthFull();
        var ok = new Button("Save", e -> {
            try {
                RequestTemplate saved = templates.save(tenantId, connector.getValue(), name.getValue(), request, headers);
                dialog.close();
                refresh();
                picker.setValue(saved);
                Toasts.success("Saved template “" + saved.name() + "”.");
            } catch (InvalidRequestException ex) {
                name.setInvalid(true);
                name.setErrorMessage(ex.getMessage());
            }
        });
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new Div(connector, name));
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), ok);
        dialog.open();
        name.focus();
    }
}
