package io.plugboard.connector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Span;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.tenant.TestTenants;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/** Each catalog connector's card says whether a conformance test covers it, next to its auth mode. */
class ConnectorVerificationMarkTest extends BrowserlessViewTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void signedInAsATenantAdminWithACustomConnector() {
        var tenant = TestTenants.create(context, "mark");
        SignedIn.as(jdbc, tenant.adminEmail());
        // Never marked verified: only shipped built-ins with a conformance test are.
        var customs = context.getBean(CustomConnectorService.class);
        customs.save(tenant.id(), customs.parse("""
                appKey: mark-own
                name: Own CRM
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: https://own.example/oauth/authorize
                  tokenUrl: https://own.example/oauth/token
                api:
                  baseUrl: https://own.example/api
                  auth:
                    type: BEARER
                """));
        navigate(ConnectorsView.class);
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aBuiltInWithAConformanceTestIsMarkedVerifiedAndACustomConnectorIsNot() {
        assertThat(marks("HubSpot")).contains("Verified").anySatisfy(t -> assertThat(t).contains("OAuth 2.0"));
        assertThat(marks("Own CRM")).contains("Custom").doesNotContain("Verified")
                .anySatisfy(t -> assertThat(t).contains("OAuth 2.0"));
        assertThat(find(Span.class).withText("Verified").first().getElement().getAttribute("title"))
                .isEqualTo("Tested against the provider's documented requests and sample answers");
    }

    /** The texts in the card of the connector with this name. */
    private List<String> marks(String name) {
        NativeButton card = find(NativeButton.class).all().stream()
                .filter(b -> b.getElement().getAttribute("aria-label").startsWith(name + ",")).findFirst().orElseThrow();
        return card.getChildren().flatMap(c -> c.getChildren()).filter(Span.class::isInstance)
                .map(c -> ((Span) c).getText()).toList();
    }
}
