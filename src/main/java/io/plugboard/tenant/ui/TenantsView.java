package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.CreatedTenant;
import io.plugboard.tenant.NewTenant;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TenantSummary;
import io.plugboard.ui.Formats;
import io.plugboard.ui.ShowOnceDialog;
import io.plugboard.ui.Toasts;
import jakarta.annotation.security.RolesAllowed;

/** Platform admins create tenants (with their first admin) and suspend or reactivate them. */
@Route("tenants")
@PageTitle("Tenants")
@Menu(order = 90, icon = "vaadin:building", title = "Tenants")
@RolesAllowed(AppRoles.PLATFORM_ADMIN)
class TenantsView extends Main {

    private final TenantService tenants;
    private final Grid<TenantSummary> grid = new Grid<>();
    private final TextField search = new TextField();

    TenantsView(TenantService tenants) {
        this.tenants = tenants;
        addClassName("page");
        var lead = new Paragraph("Every company using Plugboard is a tenant. Suspending one stops its sign-ins "
                + "and its API calls; nothing is deleted.");
        lead.addClassName("lead");

        search.setPlaceholder("Search by name or slug");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        search.addClassName("grow");
        var create = new Button("New tenant", VaadinIcon.PLUS.create(), e -> openCreate());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var toolbar = new Div(search, create);
        toolbar.addClassName("toolbar");

        grid.addColumn(TenantSummary::name).setHeader("Name").setSortProperty("name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(TenantSummary::slug).setHeader("Slug").setSortProperty("slug").setAutoWidth(true);
        grid.addColumn(TenantSummary::clientId).setHeader("API client ID").setAutoWidth(true);
        grid.addComponentColumn(TenantsView::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(t -> Formats.dateTime(t.createdAt())).setHeader("Created").setSortProperty("createdAt")
                .setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0);
        grid.setItemsPageable(pageable -> tenants.search(search.getValue(), pageable),
                pageable -> tenants.count(search.getValue()));
        grid.setSizeFull();
        add(lead, toolbar, grid);
    }

    private static Component status(TenantSummary tenant) {
        var badge = new Span(tenant.active() ? "Active" : "Suspended");
        badge.addClassNames("badge", tenant.active() ? "ok" : "bad");
        return badge;
    }

    private Component actions(TenantSummary tenant) {
        Button action = tenant.active()
                ? new Button("Suspend", e -> confirm(tenant, true))
                : new Button("Reactivate", e -> confirm(tenant, false));
        action.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        if (tenant.active()) {
            action.addThemeVariants(ButtonVariant.LUMO_ERROR);
        }
        var breakGlass = new Button("Break-glass admin", e -> openBreakGlass(tenant));
        breakGlass.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return new Span(action, breakGlass);
    }

    /** The one tenant admin who keeps a password while the tenant requires single sign-on. */
    private void openBreakGlass(TenantSummary tenant) {
        var dialog = new Dialog("Break-glass admin of " + tenant.name());
        var email = new EmailField("Tenant admin's e-mail");
        email.setId("break-glass-email");
        email.setWidthFull();
        email.setValue(java.util.Objects.requireNonNullElse(tenants.breakGlassAdmin(tenant.id()), ""));
        email.setHelperText("May still sign in with a password when the tenant requires single sign-on. Empty: nobody.");
        var save = new Button("Save", e -> UserDialogs.attempt(() -> {
            String named = tenants.nameBreakGlassAdmin(tenant.id(), email.getValue());
            dialog.close();
            Toasts.success(named == null ? "No break-glass admin for " + tenant.name()
                    : named + " is the break-glass admin of " + tenant.name());
        }));
        save.setId("break-glass-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(email);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
    }

    private void confirm(TenantSummary tenant, boolean suspend) {
        var dialog = new ConfirmDialog(
                (suspend ? "Suspend " : "Reactivate ") + tenant.name() + "?",
                suspend ? "Its users can no longer sign in and its API calls are refused." : "Its users can sign in again.",
                suspend ? "Suspend" : "Reactivate",
                e -> UserDialogs.attempt(() -> {
                    if (suspend) {
                        tenants.suspend(tenant.id());
                    } else {
                        tenants.reactivate(tenant.id());
                    }
                    grid.getDataProvider().refreshAll();
                    Toasts.success((suspend ? "Suspended " : "Reactivated ") + tenant.name());
                }));
        dialog.setCancelable(true);
        if (suspend) {
            dialog.setConfirmButtonTheme("error primary");
        }
        dialog.open();
    }

    private void openCreate() {
        var dialog = new Dialog("New tenant");
        var name = new TextField("Company name");
        var slug = new TextField("Slug");
        slug.setHelperText("Lowercase letters, digits and dashes; used in URLs.");
        name.addValueChangeListener(e -> {
            if (slug.isEmpty() || !e.isFromClient()) {
                slug.setValue(e.getValue().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", ""));
            }
        });
        var adminEmail = new EmailField("First admin's e-mail");
        var adminName = new TextField("First admin's name");
        var password = new PasswordField("First admin's password");
        password.setHelperText("Leave empty to generate one (shown once).");
        dialog.add(new FormLayout(name, slug, adminEmail, adminName, password));
        var save = new Button("Create tenant", e -> UserDialogs.attempt(() -> {
            CreatedTenant created = tenants.create(new NewTenant(slug.getValue(), name.getValue(),
                    adminEmail.getValue(), adminName.getValue(), password.getValue()));
            dialog.close();
            grid.getDataProvider().refreshAll();
            var shown = new ShowOnceDialog("Tenant " + created.tenant().name() + " created",
                    "Hand these to the tenant over a secure channel.")
                    .secret("API client ID", created.tenant().clientId())
                    .secret("API client secret", created.clientSecret());
            if (created.generatedAdminPassword() != null) {
                shown.secret("Password of " + adminEmail.getValue(), created.generatedAdminPassword());
            }
            shown.open();
        }));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
        name.focus();
    }
}
