package io.plugboard.tenant.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PortalPrincipal;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextArea;
import io.plugboard.tenant.SecondFactors;
import io.plugboard.tenant.UserRow;
import io.plugboard.ui.Toasts;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import io.plugboard.ui.Formats;
import jakarta.annotation.security.RolesAllowed;

/**
 * Tenant admins manage their tenant's users here; platform admins manage platform staff. Auditors
 * see the same list without the actions.
 */
@Route("users")
@PageTitle("Users")
@Menu(order = 80, icon = "vaadin:users", title = "Users")
@RolesAllowed({AppRoles.TENANT_ADMIN, AppRoles.PLATFORM_ADMIN, AppRoles.AUDITOR})
class UsersView extends Main {

    private final UserService users;
    private final SecondFactors factors;
    private final UserScope scope;
    private final boolean canManage;
    private final Grid<UserRow> grid = new Grid<>();
    private final TextField search = new TextField();

    UsersView(UserService users, SecondFactors factors, CurrentUser currentUser) {
        this.users = users;
        this.factors = factors;
        PortalPrincipal principal = currentUser.require();
        this.scope = principal.platformStaff() ? UserScope.platform() : UserScope.tenant(principal.tenantId());
        this.canManage = principal.role().equals(scope.platformStaff() ? AppRoles.PLATFORM_ADMIN : AppRoles.TENANT_ADMIN);
        addClassName("page");

        var lead = new Paragraph(scope.platformStaff()
                ? "Platform staff: customer success, platform admins and platform-wide auditors."
                : "People who can sign in to this tenant's portal.");
        lead.addClassName("lead");

        search.setPlaceholder("Search by e-mail or name");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        search.addClassName("grow");
        var toolbar = new Div(search);
        toolbar.addClassName("toolbar");
        if (canManage) {
            var create = new Button("New user", VaadinIcon.PLUS.create(),
                    e -> new UserDialogs(users, scope, this::refresh).openCreate());
            create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(create);
            if (scope.platformStaff()) {
                // The list shows platform staff only; a tenant's user is found by e-mail.
                var anyone = new Button("Reset a second factor by e-mail", e -> openFactorResetByEmail());
                anyone.addClassName("reset-second-factor-by-email");
                toolbar.add(anyone);
            }
        }
        configureGrid();
        add(lead, toolbar, grid);
    }

    private void configureGrid() {
        grid.addColumn(UserRow::email).setHeader("E-mail").setSortProperty("email").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(UserRow::displayName).setHeader("Name").setSortProperty("displayName").setAutoWidth(true);
        grid.addColumn(u -> AppRoles.label(u.role())).setHeader("Role").setSortProperty("role").setAutoWidth(true);
        grid.addComponentColumn(UsersView::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(u -> Formats.dateTime(u.createdAt())).setHeader("Created").setSortProperty("createdAt")
                .setAutoWidth(true);
        if (canManage) {
            grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0);
        }
        grid.setItemsPageable(pageable -> users.list(scope, search.getValue(), pageable),
                pageable -> users.count(scope, search.getValue()));
        grid.setEmptyStateText("No users match.");
        grid.setSizeFull();
    }

    private static Component status(UserRow user) {
        var badge = new Span(user.enabled() ? "Active" : "Disabled");
        badge.addClassNames("badge", user.enabled() ? "ok" : "bad");
        return badge;
    }

    private Component actions(UserRow user) {
        var dialogs = new UserDialogs(users, scope, this::refresh);
        var edit = new Button("Edit", e -> dialogs.openEdit(user));
        var toggle = new Button(user.enabled() ? "Disable" : "Enable", e -> dialogs.toggle(user));
        var reset = new Button("Reset password", e -> dialogs.openReset(user));
        var resetFactor = new Button("Reset second factor", e -> openFactorReset(user));
        resetFactor.addClassName("reset-second-factor");
        for (Button b : new Button[] {edit, toggle, reset, resetFactor}) {
            b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        }
        if (user.enabled()) {
            toggle.addThemeVariants(ButtonVariant.LUMO_ERROR);
        }
        var row = new Div(edit, toggle, reset, resetFactor);
        row.getStyle().set("display", "flex").set("gap", ".25rem");
        return row;
    }

    /** A user who lost their phone and recovery codes: the reason is required and goes into the audit trail. */
    private void openFactorReset(UserRow user) {
        var dialog = new Dialog("Reset the second factor of " + user.email());
        var explanation = new Paragraph("Their authenticator app and recovery codes stop working and their sessions "
                + "end. If they must have a second factor, they set up a new one at their next sign-in.");
        explanation.addClassName("muted");
        var reason = new TextArea("Reason");
        reason.setHelperText("Why, for the audit trail (for example how you confirmed it is them).");
        reason.setWidthFull();
        dialog.add(explanation, reason);
        var confirm = new Button("Reset second factor", e -> UserDialogs.attempt(() -> {
            factors.reset(user.id(), reason.getValue());
            dialog.close();
            Toasts.success("Second factor reset for " + user.email());
        }));
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), confirm);
        dialog.setWidth("min(560px, 95vw)");
        dialog.open();
    }

    private void openFactorResetByEmail() {
        var dialog = new Dialog("Reset a user's second factor");
        var email = new TextField("E-mail");
        email.setWidthFull();
        var reason = new TextArea("Reason");
        reason.setHelperText("Why, for the audit trail (for example the support ticket).");
        reason.setWidthFull();
        dialog.add(email, reason);
        var confirm = new Button("Reset second factor", e -> UserDialogs.attempt(() -> {
            factors.resetByEmail(email.getValue(), reason.getValue());
            dialog.close();
            Toasts.success("Second factor reset for " + email.getValue().strip());
        }));
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), confirm);
        dialog.setWidth("min(560px, 95vw)");
        dialog.open();
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }
}
