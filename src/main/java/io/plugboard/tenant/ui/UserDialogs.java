package io.plugboard.tenant.ui;

import io.plugboard.common.NotFoundException;
import io.plugboard.common.InvalidRequestException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.CreatedUser;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.UserRow;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import io.plugboard.ui.ShowOnceDialog;
import io.plugboard.ui.Toasts;
import java.util.List;

/** The create, edit, enable/disable and password-reset dialogs of the users view. */
final class UserDialogs {

    private final UserService users;
    private final UserScope scope;
    private final Runnable onChange;

    UserDialogs(UserService users, UserScope scope, Runnable onChange) {
        this.users = users;
        this.scope = scope;
        this.onChange = onChange;
    }

    private List<String> roles() {
        return scope.platformStaff()
                ? List.of(AppRoles.SUPPORT, AppRoles.PLATFORM_ADMIN, AppRoles.AUDITOR)
                : List.of(AppRoles.TENANT_ADMIN, AppRoles.AUDITOR);
    }

    void openCreate() {
        var dialog = new Dialog("New user");
        var email = new EmailField("E-mail");
        var name = new TextField("Display name");
        var role = roleSelect();
        var password = new PasswordField("Initial password");
        password.setHelperText("Leave empty to generate one (shown once). At least "
                + users.minimumPasswordLength() + " characters.");
        var form = new FormLayout(email, name, role, password);
        dialog.add(form);
        var save = new Button("Create user", e -> attempt(() -> {
            CreatedUser created = users.create(scope, new NewUser(email.getValue(), name.getValue(), role.getValue(),
                    password.getValue()));
            dialog.close();
            onChange.run();
            Toasts.success("Created " + created.user().email());
            if (created.generatedPassword() != null) {
                new ShowOnceDialog("Initial password", "Give this password to " + created.user().email() + ".")
                        .secret("Password", created.generatedPassword()).open();
            }
        }));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
        email.focus();
    }

    void openEdit(UserRow user) {
        var dialog = new Dialog("Edit " + user.email());
        var name = new TextField("Display name");
        name.setValue(user.displayName());
        var role = roleSelect();
        role.setValue(user.role());
        dialog.add(new FormLayout(name, role));
        var save = new Button("Save", e -> attempt(() -> {
            users.update(scope, user.id(), name.getValue(), role.getValue());
            dialog.close();
            onChange.run();
            Toasts.success("Saved " + user.email());
        }));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
    }

    void toggle(UserRow user) {
        boolean enable = !user.enabled();
        var confirm = new ConfirmDialog(enable ? "Enable " + user.email() + "?" : "Disable " + user.email() + "?",
                enable ? "They will be able to sign in again." : "They will not be able to sign in until re-enabled.",
                enable ? "Enable" : "Disable", e -> attempt(() -> {
                    users.setEnabled(scope, user.id(), enable);
                    onChange.run();
                    Toasts.success((enable ? "Enabled " : "Disabled ") + user.email());
                }));
        confirm.setCancelable(true);
        if (!enable) {
            confirm.setConfirmButtonTheme("error primary");
        }
        confirm.open();
    }

    void openReset(UserRow user) {
        var dialog = new Dialog("Reset password of " + user.email());
        var password = new PasswordField("New password");
        password.setHelperText("Leave empty to generate one (shown once).");
        password.setWidthFull();
        dialog.add(password);
        var save = new Button("Reset password", e -> attempt(() -> {
            String newPassword = users.resetPassword(scope, user.id(), password.getValue());
            dialog.close();
            Toasts.success("Password reset for " + user.email());
            if (password.getValue().isEmpty()) {
                new ShowOnceDialog("New password", "Give this password to " + user.email() + ".")
                        .secret("Password", newPassword).open();
            }
        }));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
    }

    private Select<String> roleSelect() {
        var role = new Select<String>();
        role.setLabel("Role");
        role.setItems(roles());
        role.setItemLabelGenerator(AppRoles::label);
        role.setValue(roles().getFirst());
        return role;
    }

    /** Runs an action; a message the user can act on is shown, anything else is not theirs to see. */
    static void attempt(Runnable action) {
        try {
            action.run();
        } catch (InvalidRequestException | NotFoundException e) {
            Toasts.error(e.getMessage());
        }
    }
}
