package io.plugboard.tenant.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.plugboard.tenant.NewTenant;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TenantSummary;
import io.plugboard.ui.ShowOnceDialog;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@WithPortalUser("platform@plugboard.local")
class TenantsViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TenantService tenants;
    @Autowired
    SecretVault vault;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void platformAdminCreatesATenantAndSeesItsClientIdAndSecretOnce() {
        navigate(TenantsView.class);
        test(find(Button.class).withText("New tenant").single()).click();
        Dialog dialog = find(Dialog.class).single();
        test(find(TextField.class, dialog).withLabel("Company name").single()).setValue("Acme " + suffix);
        assertThat(find(TextField.class, dialog).withLabel("Slug").single().getValue())
                .as("slug suggested from the name").isEqualTo("acme-" + suffix);
        test(find(EmailField.class, dialog).withLabel("First admin's e-mail").single())
                .setValue("owner-" + suffix + "@acme.test");
        test(find(TextField.class, dialog).withLabel("First admin's name").single()).setValue("Olive Owner");
        test(find(Button.class, dialog).withText("Create tenant").single()).click();

        ShowOnceDialog shown = find(ShowOnceDialog.class).single();
        assertThat(shown.getHeaderTitle()).isEqualTo("Tenant Acme " + suffix + " created");
        List<String> values = find(Span.class, shown).withClassName("show-once-value").all().stream()
                .map(Span::getText).toList();
        assertThat(values).hasSize(3); // client ID, client secret, generated first-admin password

        var stored = jdbc.queryForMap("SELECT id, client_id, client_secret, status FROM tenants WHERE slug = ?",
                "acme-" + suffix);
        UUID id = (UUID) stored.get("id");
        assertThat(values.get(0)).isEqualTo(stored.get("client_id"));
        assertThat(vault.open(new SecretBinding("tenant.client_secret", id, id.toString()),
                (byte[]) stored.get("client_secret")))
                .as("the shown secret is the one sealed for the tenant").isEqualTo(values.get(1));
        assertThat(stored.get("status")).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT role FROM portal_users WHERE email = ? AND tenant_id = ?",
                String.class, "owner-" + suffix + "@acme.test", id)).isEqualTo("TENANT_ADMIN");

        search("acme-" + suffix);
        assertThat(grid().size()).isEqualTo(1);
    }

    @Test
    void suspendingAsksForConfirmationFirstAndThenChangesTheStatus() {
        TenantSummary tenant = tenants.create(new NewTenant("susp-" + suffix, "Suspendable " + suffix,
                "admin-" + suffix + "@susp.test", "Sue Admin", "")).tenant();
        navigate(TenantsView.class);
        search("susp-" + suffix);
        assertThat(statusCell()).isEqualTo("Active");

        actionButton().click();
        ConfirmDialog confirm = find(ConfirmDialog.class).single();
        assertThat(test(confirm).getHeader()).isEqualTo("Suspend Suspendable " + suffix + "?");
        assertThat(status(tenant.id())).as("nothing happens before confirming").isEqualTo("ACTIVE");
        test(confirm).cancel();
        assertThat(status(tenant.id())).as("cancel keeps the tenant active").isEqualTo("ACTIVE");

        var reloads = new AtomicInteger();
        grid().getComponent().getDataProvider().addDataProviderListener(e -> reloads.incrementAndGet());
        actionButton().click();
        test(find(ConfirmDialog.class).single()).confirm();
        assertThat(reloads).as("grid told to reload").hasPositiveValue();

        assertThat(status(tenant.id())).isEqualTo("SUSPENDED");
        assertThat(statusCell()).isEqualTo("Suspended");
        assertThat(actionButton().getComponent().getText()).isEqualTo("Reactivate");
    }

    private String status(UUID tenantId) {
        return jdbc.queryForObject("SELECT status FROM tenants WHERE id = ?", String.class, tenantId);
    }

    private void search(String text) {
        test(find(TextField.class).withPlaceholder("Search by name or slug").single()).setValue(text);
    }

    private String statusCell() {
        assertThat(grid().size()).isEqualTo(1);
        return ((Span) grid().getCellComponent(0, column("Status"))).getText();
    }

    /** The cell's first button: suspend or reactivate (the break-glass admin's button follows it). */
    private com.vaadin.flow.component.button.ButtonTester<Button> actionButton() {
        assertThat(grid().size()).isEqualTo(1);
        var cell = grid().getCellComponent(0, column("Actions"));
        return test(cell.getChildren().filter(Button.class::isInstance).map(Button.class::cast).findFirst()
                .orElseThrow());
    }

    private int column(String header) {
        List<String> headers = grid().getComponent().getColumns().stream().map(Grid.Column::getHeaderText).toList();
        assertThat(headers).contains(header);
        return headers.indexOf(header);
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<TenantSummary>, TenantSummary> grid() {
        return test((Grid<TenantSummary>) find(Grid.class).single());
    }
}
