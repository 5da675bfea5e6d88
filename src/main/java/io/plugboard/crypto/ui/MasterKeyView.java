package io.plugboard.crypto.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.crypto.SecretVault;
import io.plugboard.crypto.VaultMaintenance;
import io.plugboard.security.AppRoles;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;

/**
 * After a new master keyset is deployed, platform admins see which secrets still use an old key and
 * re-encrypt them under the primary. Key material itself never reaches this page.
 */
@Route("platform/master-key")
@PageTitle("Master key")
@Menu(order = 99, icon = "vaadin:key", title = "Master key")
@RolesAllowed(AppRoles.PLATFORM_ADMIN)
class MasterKeyView extends Main {

    private final VaultMaintenance maintenance;
    private final Grid<SecretVault.MasterKeyInfo> keys = new Grid<>();
    private final Grid<VaultMaintenance.StoreStatus> stores = new Grid<>();
    private final Paragraph summary = new Paragraph();

    MasterKeyView(VaultMaintenance maintenance) {
        this.maintenance = maintenance;
        addClassName("page");
        var lead = new Paragraph("Secrets are encrypted with AES-256-GCM under the master keyset from "
                + "PLUGBOARD_MASTER_KEY. To rotate: add a new primary key with “plugboard master-key rotate”, deploy "
                + "it, then re-encrypt here. Retire old keys once nothing uses them.");
        lead.addClassName("lead");

        keys.addColumn(SecretVault.MasterKeyInfo::id).setHeader("Key id");
        keys.addColumn(k -> k.primary() ? "Primary" : "").setHeader("Role");
        keys.addColumn(SecretVault.MasterKeyInfo::status).setHeader("Status");
        keys.setAllRowsVisible(true);
        stores.addColumn(VaultMaintenance.StoreStatus::name).setHeader("Secrets");
        stores.addColumn(VaultMaintenance.StoreStatus::notOnPrimary).setHeader("Still on an older key");
        stores.setAllRowsVisible(true);

        var reseal = new Button("Re-encrypt all secrets with the primary key", e -> confirm());
        reseal.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var card = new Div(new H3("Keys"), keys, new H3("Encrypted secrets"), stores, summary, reseal);
        card.addClassName("card");
        add(lead, card);
        refresh();
    }

    private void refresh() {
        var status = maintenance.status();
        keys.setItems(status.keys());
        stores.setItems(status.stores());
        summary.setText(status.notOnPrimary() == 0
                ? "Every secret is encrypted with the primary key " + status.primaryKeyId() + "."
                : status.notOnPrimary() + " secret(s) still use an older key.");
    }

    private void confirm() {
        var dialog = new ConfirmDialog("Re-encrypt all secrets?",
                "Every secret is decrypted and encrypted again with the primary key, in one transaction.",
                "Re-encrypt", e -> {
                    int count = maintenance.resealAll();
                    refresh();
                    Toasts.success("Re-encrypted " + count + " secret(s)");
                });
        dialog.setCancelable(true);
        dialog.open();
    }
}
