package io.plugboard.connector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextArea;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The custom connector editor as a tenant admin and as customer success use it: opened from the connector's card,
 * "Edit definition". A destination change shows what it strands and saves nothing until "Confirm and save".
 */
class CustomConnectorDialogTest extends BrowserlessViewTest {

    private static final String SUPPORT = "support@plugboard.local";
    private static final String TOKEN_URL = "https://auth.dialog.example/oauth/token";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CustomConnectorService customs;
    @Autowired
    IntegrationService integrations;
    @Autowired
    CredentialService credentials;
    @Autowired
    TenantConnectors connectors;
    @Autowired
    SupportSwitchService supportSwitch;

    private final String appKey = "dlg-" + UUID.randomUUID().toString().substring(0, 6);
    private final String name = "Dialog CRM " + appKey;
    private TestTenant tenant;

    /** An OAuth connector of a tenant of its own, with the OAuth app's client secret and two credentials. */
    @BeforeEach
    void oauthConnectorWithTwoCredentials() {
        tenant = TestTenants.create(context, "dlg");
        SignedIn.as(jdbc, tenant.adminEmail());
        customs.save(tenant.id(), customs.parse("""
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://auth.dialog.example/oauth/authorize
                  tokenUrl: %s
                  clientAuthentication: client_secret_post
                api:
                  baseUrl: https://api.dialog.example/v1
                  auth:
                    type: BEARER
                """.formatted(appKey, name, TOKEN_URL)));
        integrations.update(tenant.id(), appKey, new IntegrationUpdate(true, "client-id", "client-secret-" + appKey,
                List.of()));
        for (String user : List.of("ann", "bob")) {
            credentials.create(tenant.id(), new NewCredential(appKey, user, null, null, null, null, Map.of(),
                    new NewCredential.Tokens("at-" + user, "rt-" + user, "Bearer", Instant.now().plus(1, ChronoUnit.HOURS),
                            List.of(), null)));
        }
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aDestinationEditShowsWhatItStrandsAndSavesOnlyOnceConfirmed() {
        openEditor();
        test(definitionField()).setValue(definition().replace(TOKEN_URL, "https://elsewhere.example/oauth/token"));

        click("Save connector");

        assertThat(errorText()).contains("This changes where secrets are sent: 2 credentials will need reconnecting "
                + "and the OAuth app secret must be entered again.");
        assertThat(find(Button.class).withText("Confirm and save").exists()).isTrue();
        assertThat(tokenUrl()).as("nothing saved before the confirmation").isEqualTo(TOKEN_URL);
        assertThat(statuses()).containsOnly("ACTIVE");
        assertThat(holdsClientSecret()).isTrue();

        click("Confirm and save");

        assertThat(find(CustomConnectorDialog.class).exists()).as("closed once saved").isFalse();
        assertThat(tokenUrl()).isEqualTo("https://elsewhere.example/oauth/token");
        assertThat(statuses()).containsExactly("NEEDS_RECONNECT", "NEEDS_RECONNECT");
        assertThat(holdsClientSecret()).isFalse();
        assertThat(notifications()).anySatisfy(n -> assertThat(n).contains("Saved " + name,
                "2 credentials need reconnecting", "enter the OAuth app secret again"));
    }

    @Test
    void anotherEditAfterTheWarningTakesTheWarningBackAndNeedsItsOwn() {
        openEditor();
        test(definitionField()).setValue(definition().replace(TOKEN_URL, "https://elsewhere.example/oauth/token"));
        click("Save connector");
        assertThat(errorText()).contains("2 credentials will need reconnecting");

        test(definitionField()).setValue(definition().replace("https://elsewhere.example", "https://third.example"));

        assertThat(find(Button.class).withText("Save connector").exists()).isTrue();
        assertThat(errorText()).as("the warning was about the earlier text").isEmpty();
        assertThat(tokenUrl()).isEqualTo(TOKEN_URL);
    }

    @Test
    void anEditThatKeepsTheDestinationSavesAtOnce() {
        openEditor();
        assertThat(find(Anchor.class, find(CustomConnectorDialog.class).single()).withText("JSON Schema").single()
                .getHref()).as("the format's schema, for checking a draft in an editor").isEqualTo("connectors/schema.json");
        test(definitionField()).setValue(definition().replaceFirst("(?m)^name: .*", "name: Renamed " + appKey));

        click("Save connector");

        assertThat(find(CustomConnectorDialog.class).exists()).isFalse();
        assertThat(connectors.find(tenant.id(), appKey).orElseThrow().name()).isEqualTo("Renamed " + appKey);
        assertThat(statuses()).containsOnly("ACTIVE");
        assertThat(holdsClientSecret()).isTrue();
    }

    @Test
    void customerSuccessWithChangesEnabledIsToldInTheDialogThatTheDestinationIsNotTheirsToChange() {
        SignedIn.as(jdbc, SUPPORT);
        supportSwitch.switchTo(tenant.id(), "Ticket " + appKey + ": connector name");
        supportSwitch.enableChanges();
        openEditor();
        assertThat(dialogText()).contains("not where this connector sends secrets");
        test(definitionField()).setValue(definition().replace(TOKEN_URL, "https://harvest.example/oauth/token"));

        click("Save connector");

        assertThat(errorText()).startsWith("Customer success cannot change where " + name + " sends secrets");
        assertThat(find(Button.class).withText("Confirm and save").exists()).isFalse();
        assertThat(notifications()).noneMatch(n -> n.contains("Exception"));
        assertThat(find(CustomConnectorDialog.class).exists()).as("still open with the message").isTrue();
        assertThat(tokenUrl()).isEqualTo(TOKEN_URL);
        assertThat(statuses()).containsOnly("ACTIVE");
        assertThat(holdsClientSecret()).isTrue();
    }

    private void openEditor() {
        navigate(ConnectorsView.class);
        test(find(NativeButton.class).all().stream()
                .filter(b -> b.getElement().getAttribute("aria-label").startsWith(name + ",")).findFirst().orElseThrow())
                .click();
        click("Edit definition");
        assertThat(find(CustomConnectorDialog.class).single().isOpened()).isTrue();
    }

    private TextArea definitionField() {
        return find(TextArea.class, find(CustomConnectorDialog.class).single()).single();
    }

    private String definition() {
        return definitionField().getValue();
    }

    private String errorText() {
        return find(Paragraph.class, find(CustomConnectorDialog.class).single()).withClassName("form-error").single()
                .getText();
    }

    private String dialogText() {
        return find(CustomConnectorDialog.class).single().getElement().getTextRecursively();
    }

    private void click(String caption) {
        test(find(Button.class).withText(caption).single()).click();
    }

    private String tokenUrl() {
        return connectors.find(tenant.id(), appKey).orElseThrow().definition().oauth().tokenUrl();
    }

    private List<String> statuses() {
        return jdbc.queryForList("SELECT status FROM credentials WHERE tenant_id = ? AND app_key = ?", String.class,
                tenant.id(), appKey);
    }

    private boolean holdsClientSecret() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT client_secret IS NOT NULL FROM integrations "
                + "WHERE tenant_id = ? AND app_key = ?", Boolean.class, tenant.id(), appKey));
    }

    private List<String> notifications() {
        return find(Notification.class).all().stream().map(n -> test(n).getText()).toList();
    }
}
