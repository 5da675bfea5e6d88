package io.plugboard.sync.sqlaccess.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.sync.sqlaccess.IssuedSqlLogin;
import io.plugboard.sync.sqlaccess.SqlLogin;
import io.plugboard.sync.sqlaccess.SqlLogins;
import io.plugboard.sync.sqlaccess.SqlLoginsUnavailableException;
import io.plugboard.ui.Formats;
import io.plugboard.ui.ShowOnceDialog;
import io.plugboard.ui.Toasts;
import java.util.UUID;
import java.util.function.Supplier;

/** Settings' card for the tenant's read-only SQL login: create it, give it a new password, revoke it. */
class SqlLoginCard extends Div {

    private final SqlLogins logins;
    private final UUID tenantId;
    private final Div body = new Div();

    SqlLoginCard(SqlLogins logins, UUID tenantId) {
        this.logins = logins;
        this.tenantId = tenantId;
        addClassNames("card", "sql-login");
        getStyle().set("max-width", "720px");
        var explanation = new Paragraph("A read-only PostgreSQL login for your reporting tools: it sees this "
                + "tenant's synced records (schema tenant_data: people, notes, tasks, users) and nothing else. "
                + "Plugboard shows its password once.");
        explanation.addClassName("muted");
        body.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", ".5rem")
                .set("align-items", "flex-start");
        add(new H3("SQL access to synced records"), explanation, body);
        render();
    }

    private void render() {
        body.removeAll();
        logins.find(tenantId).ifPresentOrElse(this::renderLogin, () -> {
            var create = new Button("Create SQL login", e -> change(() -> logins.create(tenantId), "SQL login created"));
            create.addClassName("sql-login-create");
            body.add(create);
        });
    }

    private void renderLogin(SqlLogin login) {
        var user = new Span(login.roleName());
        user.addClassNames("mono", "sql-login-user");
        var psql = new Span(logins.connectionInfo().psql(login.roleName()));
        psql.addClassNames("mono", "secret-value", "sql-login-psql");
        var changed = new Span("Password last set " + Formats.dateTime(login.passwordChangedAt()));
        changed.addClassName("muted");
        var rotate = new Button("Rotate password", e -> confirm("Set a new password?",
                "The current password stops working immediately; sessions already open stay open.", "Rotate",
                () -> change(() -> logins.rotate(tenantId), "SQL login password rotated")));
        var revoke = new Button("Revoke", e -> confirm("Revoke the SQL login?",
                "The login is dropped: it can no longer connect, and open sessions lose access at once.", "Revoke",
                this::revoke));
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR);
        body.add(new Span("User"), user, new Span("Connect with"), psql, changed, new Div(rotate, revoke));
    }

    private void change(Supplier<IssuedSqlLogin> action, String done) {
        try {
            IssuedSqlLogin issued = action.get();
            Toasts.success(done);
            new ShowOnceDialog("SQL login password", "Store it in your reporting tool's secret store.")
                    .secret("User", issued.roleName())
                    .secret("Password", issued.password())
                    .secret("Connect with", logins.connectionInfo().psql(issued.roleName()))
                    .open();
        } catch (InvalidRequestException | NotFoundException | SqlLoginsUnavailableException e) {
            Toasts.error(e.getMessage());
        }
        render();
    }

    private void revoke() {
        try {
            logins.revoke(tenantId);
            Toasts.success("SQL login revoked");
        } catch (NotFoundException | SqlLoginsUnavailableException e) {
            Toasts.error(e.getMessage());
        }
        render();
    }

    private static void confirm(String title, String text, String action, Runnable confirmed) {
        var dialog = new ConfirmDialog(title, text, action, e -> confirmed.run());
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }
}
