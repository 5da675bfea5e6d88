package io.plugboard.connector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Span;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
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
    void signedInAsATenantAdmin() {
        SignedIn.as(jdbc, TestTenants.create(context, "mark").adminEmail());
        navigate(ConnectorsView.class);
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aConnectorWithAConformanceTestIsMarkedVerifiedAndOneWithoutIsNot() {
        assertThat(marks("HubSpot")).contains("Verified").anySatisfy(t -> assertThat(t).contains("OAuth 2.0"));
        assertThat(marks("Gusto")).contains("Not verified").anySatisfy(t -> assertThat(t).contains("OAuth 2.0"));
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
