package io.plugboard.sync.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.credential.CredentialView;
import io.plugboard.sync.SyncModel;
import io.plugboard.sync.SyncService;
import io.plugboard.sync.SyncSettings;
import io.plugboard.sync.SyncStatus;
import io.plugboard.universal.UniversalConsole;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns sync on for a credential's models, or changes which models and how often: the rules of
 * {@code PUT /api/v1/credentials/{id}/sync}, which {@link SyncService#configure} applies. Errors stay in the dialog.
 */
final class SyncSettingsDialog extends Dialog {

    private final SyncService sync;
    private final UUID tenantId;
    private final ComboBox<CredentialView> credential = new ComboBox<>("Credential");
    private final CheckboxGroup<String> models = new CheckboxGroup<>("Models");
    private final IntegerField frequency = new IntegerField("Every (minutes)");
    private final Span error = new Span();

    /**
     * @param existing the credential whose sync is changed, with its models; null to pick a credential of a CRM
     *                 the Universal CRM API maps
     */
    SyncSettingsDialog(SyncService sync, UniversalConsole crms, UUID tenantId, @Nullable CredentialView existing,
                       List<SyncStatus> current, Function<CredentialView, String> describe, Runnable onSaved) {
        this.sync = sync;
        this.tenantId = tenantId;
        setHeaderTitle(existing == null ? "Turn on sync" : "Sync settings");
        setWidth("min(520px, 95vw)");
        credential.setItemLabelGenerator(describe::apply);
        credential.setWidthFull();
        credential.setHelperText("A credential of a CRM the Universal CRM API maps");
        models.setHelperText("Exactly these models are synced; a model left out stops, and its records stay.");
        frequency.setMin(1);
        frequency.setMax(SyncSettings.MAX_FREQUENCY);
        frequency.setStepButtonsVisible(true);
        frequency.setHelperText("1 to " + String.format("%,d", SyncSettings.MAX_FREQUENCY) + " (a week)");
        frequency.setValue(current.isEmpty() ? SyncSettings.DEFAULT_FREQUENCY : current.getFirst().frequencyMinutes());
        error.addClassName("form-error");
        if (existing == null) {
            credential.setItems(query -> crms.crmCredentials(tenantId, query.getFilter().orElse(null), 20).stream()
                    .skip(query.getOffset()).limit(query.getLimit()));
            credential.addValueChangeListener(e -> offerModels(e.getValue(), List.of()));
            models.setEnabled(false);
        } else {
            credential.setItems(existing);
            credential.setValue(existing);
            credential.setReadOnly(true);
            offerModels(existing, current.stream().map(SyncStatus::model).toList());
        }
        var form = new VerticalLayout(credential, models, frequency, error);
        form.setPadding(false);
        add(form);

        var save = new Button(existing == null ? "Start syncing" : "Save", e -> {
            CredentialView chosen = credential.getValue();
            if (chosen == null) {
                error.setText("Choose a credential.");
                return;
            }
            try {
                sync.configure(tenantId, chosen.id(), new SyncSettings(
                        SyncModel.keys().stream().filter(models.getValue()::contains).toList(), frequency.getValue()));
                close();
                onSaved.run();
            } catch (InvalidRequestException | NotFoundException ex) {
                error.setText(ex.getMessage());
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }

    /** The models the credential's CRM can list, those synced now ticked (people, for a first sync). */
    private void offerModels(@Nullable CredentialView chosen, List<String> synced) {
        error.setText("");
        if (chosen == null) {
            models.setItems(List.of());
            models.setEnabled(false);
            return;
        }
        List<String> syncable = sync.syncableModels(tenantId, chosen.id());
        models.setItems(syncable);
        models.setEnabled(!syncable.isEmpty());
        var ticked = new LinkedHashSet<>(synced.isEmpty() && syncable.contains("people") ? List.of("people") : synced);
        ticked.retainAll(syncable);
        models.setValue(ticked);
        if (syncable.isEmpty()) {
            error.setText("This CRM cannot be synced: the Universal CRM API does not map it.");
        }
    }
}
