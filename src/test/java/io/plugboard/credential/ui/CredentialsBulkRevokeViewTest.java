package io.plugboard.credential.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.notification.Notification;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * "Revoke selected" when the provider's revocation endpoint hangs: the confirmation returns as soon as the credentials
 * are revoked here (the UI is not held for the provider), the grid shows them revoked with the provider pending,
 * and the revocations reach the provider afterwards.
 */
class CredentialsBulkRevokeViewTest extends BrowserlessViewTest {

    private static final int COUNT = 5;
    private static WireMockServer provider;

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

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void revokingSelectedCredentialsOfAHangingProviderDoesNotHoldTheUi() {
        provider.stubFor(post(urlEqualTo("/hang/revoke")).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        TestTenant tenant = TestTenants.create(context, "bulkui");
        SignedIn.as(jdbc, tenant.adminEmail());
        customs.save(tenant.id(), customs.parse("""
                appKey: hang-crm
                name: Hanging CRM
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %1$s/oauth/authorize
                  tokenUrl: %1$s/oauth/token
                  revocationUrl: %1$s/hang/revoke
                  clientAuthentication: client_secret_post
                api:
                  baseUrl: %1$s/api
                  auth:
                    type: BEARER
                """.formatted(provider.baseUrl())));
        integrations.update(tenant.id(), "hang-crm", new IntegrationUpdate(true, "client", "client-secret", List.of()));
        var ids = new ArrayList<String>();
        for (int i = 0; i < COUNT; i++) {
            ids.add(credentials.create(tenant.id(), new NewCredential("hang-crm", "user-" + i, null, null, null, null,
                    null, new NewCredential.Tokens("at-" + i, "rt-" + i, "Bearer", Instant.now().plus(1, ChronoUnit.HOURS),
                            List.of(), null))).id());
        }
        navigate(CredentialsView.class);
        GridTester<Grid<CredentialRow>, CredentialRow> grid = grid();
        assertThat(grid.size()).isEqualTo(COUNT);
        for (int i = 0; i < COUNT; i++) {
            grid.select(i);
        }

        test(find(Button.class).withText("Revoke " + COUNT + " selected").single()).click();
        long started = System.nanoTime();
        test(find(ConfirmDialog.class).single()).confirm();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("the UI is not held for the provider").isLessThan(Duration.ofSeconds(3));
        assertThat(find(Notification.class).all().stream().map(n -> test(n).getText()))
                .anySatisfy(n -> assertThat(n).startsWith("Revoked " + COUNT + " credentials"));
        var shown = grid();
        assertThat(shown.size()).isEqualTo(COUNT);
        for (int i = 0; i < COUNT; i++) {
            assertThat(shown.getRow(i).statusLabel()).isEqualTo("Revoked here · at provider: pending");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM provider_revocations WHERE tenant_id = ? AND status = 'DONE'""", Long.class,
                tenant.id()) == COUNT);
        assertThat(provider.findAll(postRequestedFor(urlEqualTo("/hang/revoke")))).hasSize(COUNT);
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<CredentialRow>, CredentialRow> grid() {
        return test((Grid<CredentialRow>) find(Grid.class).single());
    }
}
