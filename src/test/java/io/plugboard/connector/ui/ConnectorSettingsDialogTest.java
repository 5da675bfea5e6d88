package io.plugboard.connector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.dom.Element;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A tenant admin enters Follow Up Boss's system name and key once, in the connector's dialog on the Connectors
 * page. The key is stored sealed and never sent back to the browser: the reopened dialog says it is set.
 */
class ConnectorSettingsDialogTest extends BrowserlessViewTest {

    private static final String SYSTEM_KEY = "560270f7914b5b4a5f4dc1793ebc2796";
    private static final String NAME_LABEL = "System name (X-System)";
    private static final String KEY_LABEL = "System key (X-System-Key)";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectorSettingsService settings;

    private TestTenant tenant;

    @BeforeEach
    void signInAsAdminOfAFreshTenant() {
        tenant = TestTenants.create(context, "fubui");
        SignedIn.as(jdbc, tenant.adminEmail());
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theSettingsSaveAreAuditedAndTheKeyNeverReachesTheBrowser() {
        openFollowUpBoss();
        assertThat(keyField().getPlaceholder()).isEqualTo("Not set");
        test(nameField()).setValue("AwesomeWebsiteBuilder");
        test(keyField()).setValue(SYSTEM_KEY);

        test(find(Button.class).withText("Save").single()).click();

        var saved = settings.settings(tenant.id(), "followupboss");
        assertThat(saved.values()).containsEntry("systemName", "AwesomeWebsiteBuilder");
        assertThat(saved.secretsStored()).containsExactly("systemKey");
        assertThat(jdbc.queryForList("SELECT details FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'integration.settings_updated' AND target_id = 'followupboss'", String.class, tenant.id()))
                .singleElement().satisfies(d -> assertThat(d).contains("AwesomeWebsiteBuilder", "systemKey")
                        .doesNotContain(SYSTEM_KEY));

        openFollowUpBoss();

        assertThat(nameField().getValue()).isEqualTo("AwesomeWebsiteBuilder");
        assertThat(keyField().getValue()).isEmpty();
        assertThat(keyField().getPlaceholder()).isEqualTo("Set — enter a new value to replace it");
        String page = rendered(UI.getCurrent().getElement());
        assertThat(page).as("the walk sees the dialog").contains("AwesomeWebsiteBuilder", KEY_LABEL);
        assertThat(page).doesNotContain(SYSTEM_KEY);
    }

    @Test
    void savingWithoutTouchingTheSettingsKeepsThemAndAuditsNoSettingsChange() {
        openFollowUpBoss();
        test(nameField()).setValue("Kept");
        test(keyField()).setValue(SYSTEM_KEY);
        test(find(Button.class).withText("Save").single()).click();

        openFollowUpBoss();
        test(find(Button.class).withText("Save").single()).click();

        assertThat(settings.settings(tenant.id(), "followupboss").secretsStored()).containsExactly("systemKey");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'integration.settings_updated'", Long.class, tenant.id())).isEqualTo(1);
    }

    private void openFollowUpBoss() {
        navigate(ConnectorsView.class);
        test(find(NativeButton.class).all().stream()
                .filter(b -> b.getElement().getAttribute("aria-label").startsWith("Follow Up Boss,"))
                .findFirst().orElseThrow()).click();
    }

    private TextField nameField() {
        return find(TextField.class).all().stream().filter(f -> NAME_LABEL.equals(f.getLabel())).findFirst()
                .orElseThrow();
    }

    private PasswordField keyField() {
        return find(PasswordField.class).all().stream().filter(f -> KEY_LABEL.equals(f.getLabel())).findFirst()
                .orElseThrow();
    }

    /** Everything the server would send about this element tree: text, attributes and properties. */
    private static String rendered(Element element) {
        if (element.isTextNode()) {
            return element.getText();
        }
        var out = new StringBuilder(element.getTag()).append(' ');
        element.getAttributeNames().forEach(n -> out.append(n).append('=').append(element.getAttribute(n)).append(' '));
        element.getPropertyNames().forEach(n -> out.append(n).append('=').append(element.getPropertyRaw(n))
                .append(' '));
        element.getChildren().forEach(child -> out.append('\n').append(rendered(child)));
        return out.toString();
    }
}
