package io.plugboard.tenant.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.tenant.UserRow;
import io.plugboard.ui.ShowOnceDialog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

class UsersViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;

    private final String email = "person-" + UUID.randomUUID().toString().substring(0, 8) + "@demo.local";

    @Test
    @WithPortalUser("admin@demo.local")
    void tenantAdminCreatesAUserThroughTheDialogAndTheRowAppears() {
        navigate(UsersView.class);
        search(email);
        assertThat(grid().size()).isZero();
        var reloads = new AtomicInteger();
        grid().getComponent().getDataProvider().addDataProviderListener(e -> reloads.incrementAndGet());

        openNewUserDialog();
        fillNewUser(email, "Pat Person", "Auditor", "a-password-long-enough");
        click("Create user");

        assertThat(find(Dialog.class).all()).as("dialogs left open").isEmpty();
        // Browserless reads rows straight from the data provider; a browser only sees them after a reload.
        assertThat(reloads).as("grid told to reload").hasPositiveValue();
        assertThat(grid().size()).isEqualTo(1);
        assertThat(grid().getRow(0).email()).isEqualTo(email);
        assertThat(grid().getRow(0).displayName()).isEqualTo("Pat Person");
        assertThat(grid().getRow(0).role()).isEqualTo("AUDITOR");
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT u.role, t.slug FROM portal_users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = ?""",
                email);
        assertThat(row).containsEntry("role", "AUDITOR").containsEntry("slug", "demo");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void leavingThePasswordEmptyShowsTheGeneratedPasswordOnce() {
        navigate(UsersView.class);
        openNewUserDialog();
        fillNewUser(email, "Gen Person", "Tenant admin", "");
        click("Create user");

        ShowOnceDialog shown = find(ShowOnceDialog.class).single();
        assertThat(shown.getHeaderTitle()).isEqualTo("Initial password");
        String password = find(Span.class, shown).withClassName("show-once-value").single().getText();
        String hash = jdbc.queryForObject("SELECT password_hash FROM portal_users WHERE email = ?", String.class, email);
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(password, hash))
                .as("the shown password is the user's password").isTrue();

        test(find(Button.class, shown).withText("I have stored it").single()).click();
        assertThat(find(ShowOnceDialog.class).all()).isEmpty();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void tooShortPasswordIsRefusedWithTheReasonAndNoUserIsCreated() {
        navigate(UsersView.class);
        openNewUserDialog();
        fillNewUser(email, "Short Person", "Auditor", "short");
        click("Create user");

        assertThat(notifications()).contains("Password must be at least 12 characters long.");
        assertThat(find(Dialog.class).withCondition(d -> "New user".equals(d.getHeaderTitle())).exists())
                .as("the dialog stays open to correct the password").isTrue();
        assertThat(find(ShowOnceDialog.class).exists()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_users WHERE email = ?", Long.class, email))
                .isZero();
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void auditorSeesTheUsersButCannotCreateOrChangeThem() {
        navigate(UsersView.class);
        search("admin@demo.local");

        assertThat(grid().size()).isPositive();
        assertThat(grid().getRow(0).email()).contains("admin@demo.local");
        assertThat(find(Button.class).withText("New user").exists()).isFalse();
        assertThat(grid().getComponent().getColumns()).extracting(Grid.Column::getHeaderText)
                .doesNotContain("Actions");
        assertThat(find(Button.class).withText("Edit").exists()).isFalse();
    }

    private void search(String text) {
        test(find(TextField.class).withPlaceholder("Search by e-mail or name").single()).setValue(text);
    }

    private void openNewUserDialog() {
        click("New user");
        assertThat(find(Dialog.class).single().getHeaderTitle()).isEqualTo("New user");
    }

    private void fillNewUser(String mail, String name, String roleLabel, String password) {
        Dialog dialog = find(Dialog.class).single();
        test(find(EmailField.class, dialog).withLabel("E-mail").single()).setValue(mail);
        test(find(TextField.class, dialog).withLabel("Display name").single()).setValue(name);
        test(find(Select.class, dialog).withLabel("Role").single()).selectItem(roleLabel);
        if (!password.isEmpty()) {
            test(find(PasswordField.class, dialog).withLabel("Initial password").single()).setValue(password);
        }
    }

    private void click(String caption) {
        test(find(Button.class).withText(caption).single()).click();
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<UserRow>, UserRow> grid() {
        return test((Grid<UserRow>) find(Grid.class).single());
    }

    private List<String> notifications() {
        return find(Notification.class).all().stream().map(n -> test(n).getText()).toList();
    }
}
