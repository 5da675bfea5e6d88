package io.plugboard.audit.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.SavedAuditFilter;
import io.plugboard.audit.SavedAuditFilters;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.ui.Toasts;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Pick one of your saved filters, save the current one under a name, or delete the picked one. */
final class SavedFiltersBar extends Div {

    private final SavedAuditFilters saved;
    private final ComboBox<SavedAuditFilter> picker = new ComboBox<>("Saved filters");
    private final Button delete = new Button(VaadinIcon.TRASH.create());

    SavedFiltersBar(SavedAuditFilters saved, Supplier<AuditFilter> current, Consumer<AuditFilter> apply) {
        this.saved = saved;
        addClassName("saved-filters");
        picker.setItemLabelGenerator(SavedAuditFilter::name);
        picker.setPlaceholder("none");
        picker.setClearButtonVisible(true);
        picker.addValueChangeListener(e -> {
            delete.setEnabled(e.getValue() != null);
            if (e.getValue() != null) {
                apply.accept(e.getValue().filter());
            }
        });
        var save = new Button("Save filter…", VaadinIcon.BOOKMARK.create(), e -> askName(current.get()));
        save.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        delete.setAriaLabel("Delete the selected saved filter");
        delete.setTooltipText("Delete the selected saved filter");
        delete.setEnabled(false);
        delete.addClickListener(e -> {
            if (picker.getValue() != null) {
                saved.delete(picker.getValue().id());
                Toasts.success("Deleted “" + picker.getValue().name() + "”.");
                reload();
            }
        });
        add(picker, delete, save);
        reload();
    }

    /** Once the fields no longer say what the picked filter says, nothing is picked. */
    void filterChanged(AuditFilter current) {
        SavedAuditFilter picked = picker.getValue();
        if (picked != null && !same(picked.filter(), current)) {
            picker.clear();
        }
    }

    private static boolean same(AuditFilter a, AuditFilter b) {
        return Objects.equals(a.from(), b.from()) && Objects.equals(a.to(), b.to())
                && blank(a.actor()).equals(blank(b.actor())) && blank(a.action()).equals(blank(b.action()))
                && blank(a.target()).equals(blank(b.target()));
    }

    private static String blank(@Nullable String value) {
        return value == null ? "" : value.strip();
    }

    private void askName(AuditFilter filter) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Save this filter");
        var name = new TextField("Name");
        name.setMaxLength(80);
        name.setRequired(true);
        name.setWidthFull();
        var ok = new Button("Save", e -> {
            try {
                SavedAuditFilter created = saved.save(name.getValue(), filter);
                dialog.close();
                reload();
                picker.setValue(created);
                Toasts.success("Saved “" + created.name() + "”.");
            } catch (InvalidRequestException ex) {
                name.setInvalid(true);
                name.setErrorMessage(ex.getMessage());
            }
        });
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(name);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), ok);
        dialog.open();
        name.focus();
    }

    private void reload() {
        picker.setItems(saved.list());
    }
}
