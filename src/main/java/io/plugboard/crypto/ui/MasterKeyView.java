package io.plugboard.crypto.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.plugboard.crypto.ReencryptionRun;
import io.plugboard.crypto.ReencryptionRunningException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.crypto.VaultMaintenance;
import io.plugboard.security.AppRoles;
import io.plugboard.ui.Formats;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;
import org.jspecify.annotations.Nullable;

/**
 * After a new master keyset is deployed, platform admins see which secrets still use an old key and
 * re-encrypt them under the primary, following the run's progress (it runs in the background, from any
 * instance). Key material itself never reaches this page.
 */
@Route("platform/master-key")
@PageTitle("Master key")
@Menu(order = 99, icon = "vaadin:key", title = "Master key")
@RolesAllowed(AppRoles.PLATFORM_ADMIN)
class MasterKeyView extends Main {

    private static final int POLL_MILLIS = 1000;

    private final VaultMaintenance maintenance;
    private final Grid<SecretVault.MasterKeyInfo> keys = new Grid<>();
    private final Grid<VaultMaintenance.StoreStatus> stores = new Grid<>();
    private final Paragraph summary = new Paragraph();
    private final Paragraph runSummary = new Paragraph();
    private final ProgressBar runProgress = new ProgressBar();
    private final Grid<ReencryptionRun.Progress> runKinds = new Grid<>();
    private final Button reseal = new Button("Re-encrypt all secrets with the primary key", e -> confirm());
    private @Nullable Registration polling;

    MasterKeyView(VaultMaintenance maintenance) {
        this.maintenance = maintenance;
        addClassName("page");
        var lead = new Paragraph("Secrets are encrypted with AES-256-GCM under the master keyset from "
                + "PLUGBOARD_MASTER_KEY. To rotate: add a new primary key with “plugboard master-key rotate”, deploy "
                + "it to every instance, then re-encrypt here. Retire old keys once nothing uses them.");
        lead.addClassName("lead");

        keys.addColumn(SecretVault.MasterKeyInfo::id).setHeader("Key id");
        keys.addColumn(k -> k.primary() ? "Primary" : "").setHeader("Role");
        keys.addColumn(SecretVault.MasterKeyInfo::status).setHeader("Status");
        keys.setAllRowsVisible(true);
        stores.addColumn(VaultMaintenance.StoreStatus::name).setHeader("Secrets");
        stores.addColumn(VaultMaintenance.StoreStatus::notOnPrimary).setHeader("Still on an older key");
        stores.setAllRowsVisible(true);
        runKinds.addColumn(ReencryptionRun.Progress::kind).setHeader("Secrets");
        runKinds.addColumn(p -> p.done() + " / " + p.total()).setHeader("Done");
        runKinds.addColumn(ReencryptionRun.Progress::resealed).setHeader("Re-encrypted");
        runKinds.addColumn(ReencryptionRun.Progress::changed).setHeader("Changed meanwhile");
        runKinds.addColumn(ReencryptionRun.Progress::unreadable).setHeader("Could not be opened");
        runKinds.setAllRowsVisible(true);

        reseal.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var card = new Div(new H3("Keys"), keys, new H3("Encrypted secrets"), stores, summary, reseal,
                new H3("Re-encryption"), runSummary, runProgress, runKinds);
        card.addClassName("card");
        add(lead, card);
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        polling = event.getUI().addPollListener(e -> refresh());
        refresh();
    }

    @Override
    protected void onDetach(DetachEvent event) {
        event.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
        }
    }

    private void refresh() {
        var status = maintenance.status();
        keys.setItems(status.keys());
        stores.setItems(status.stores());
        summary.setText(status.notOnPrimary() == 0
                ? "Every secret is encrypted with the primary key " + status.primaryKeyId() + "."
                : status.notOnPrimary() + " secret(s) still use an older key.");
        ReencryptionRun run = status.run();
        boolean running = run != null && run.status() == ReencryptionRun.Status.RUNNING;
        reseal.setEnabled(!running);
        runSummary.setText(run == null ? "No re-encryption has run yet." : describe(run));
        runProgress.setVisible(run != null);
        runKinds.setVisible(run != null);
        if (run != null) {
            runProgress.setValue(run.total() == 0 ? 1 : Math.min(1, (double) run.done() / run.total()));
            runKinds.setItems(run.progress());
        }
        UI ui = UI.getCurrent();
        if (ui != null) {
            ui.setPollInterval(running ? POLL_MILLIS : -1);
        }
    }

    private static String describe(ReencryptionRun run) {
        String started = "to key " + run.primaryKeyId() + ", started by " + run.startedBy() + " at "
                + Formats.dateTime(run.startedAt());
        return switch (run.status()) {
            case RUNNING -> "Running " + started + ": " + run.done() + " of " + run.total() + " secret(s) done.";
            case FINISHED -> "Finished " + Formats.dateTime(run.finishedAt()) + " (" + started + "): "
                    + run.resealed() + " secret(s) re-encrypted.";
            case FAILED -> "Failed " + Formats.dateTime(run.finishedAt()) + " (" + started + "): " + run.error()
                    + " Starting it again resumes: only secrets still on an older key are touched.";
        };
    }

    private void confirm() {
        var dialog = new ConfirmDialog("Re-encrypt all secrets?",
                "Every secret still on an older key is decrypted and encrypted again with the primary key, in small "
                        + "batches, in the background. The application keeps working meanwhile; changes made during "
                        + "the run are kept.",
                "Re-encrypt", e -> {
                    try {
                        maintenance.start();
                        Toasts.success("Re-encryption started");
                    } catch (ReencryptionRunningException running) {
                        Toasts.error(running.getMessage());
                    }
                    refresh();
                });
        dialog.setCancelable(true);
        dialog.open();
    }
}
