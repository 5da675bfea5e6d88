package io.plugboard.proxy.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.router.QueryParameters;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.proxy.ConsoleRun;
import io.plugboard.tenant.SupportSwitchService;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The API console for customer success: no runs in a read-only support session, runs once changes are enabled —
 * from the console's worker threads, which read the support session from the portal session — audited with the
 * session's reason.
 */
class ConsoleViewSupportTest extends BrowserlessViewTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;

    private ConsoleFixture fixture;
    private String reason;

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @BeforeEach
    void supportInAConsoleTenant() {
        fixture = ConsoleFixture.create(context, provider, "console-support", 401);
        reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": the venue API answers 401";
        SignedIn.as(jdbc, "support@plugboard.local");
        supportSwitch.switchTo(fixture.tenant().id(), reason);
    }

    @Test
    void aReadOnlySupportSessionRunsNothing() {
        openAndRunTheTestRequest();
        assertThat(find(Button.class).withText("Run for 1").single().isEnabled()).isFalse();
        assertThat(results().size()).isZero();
        provider.verify(0, anyRequestedFor(urlPathEqualTo(fixture.pingPath())));
        assertThat(consoleRuns()).isZero();
    }

    @Test
    void withChangesEnabledTheRunGoesThroughTheWorkerThreadsAndIsAuditedWithTheReason() {
        supportSwitch.enableChanges();
        openAndRunTheTestRequest();
        ConsoleRun run = awaitResult();
        assertThat(run.error()).isNull();
        assertThat(run.status()).isEqualTo(200);
        Map<String, Object> audited = jdbc.queryForMap("""
                SELECT actor_label, reason FROM audit_events WHERE tenant_id = ? AND action = 'console.run'""",
                fixture.tenant().id());
        assertThat(audited.get("actor_label")).isEqualTo("support@plugboard.local");
        assertThat(audited.get("reason")).isEqualTo(reason);
    }

    /** The credential detail's "Test" link: the console with the credential chosen and its test request run. */
    private void openAndRunTheTestRequest() {
        UI.getCurrent().navigate(ConsoleView.class,
                QueryParameters.simple(Map.of("credential", fixture.id(0), "run", "test")));
        assertThat(getCurrentView()).isInstanceOf(ConsoleView.class);
    }

    private ConsoleRun awaitResult() {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (true) {
            roundTrip();
            if (results().size() == 1) {
                return results().getRow(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no result within " + RUN_TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private long consoleRuns() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND action = 'console.run'",
                Long.class, fixture.tenant().id());
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<ConsoleRun>, ConsoleRun> results() {
        return test((Grid<ConsoleRun>) find(Grid.class).all().stream()
                .filter(g -> g.getColumns().stream().anyMatch(c -> "Latency".equals(((Grid.Column<?>) c).getHeaderText())))
                .findFirst().orElseThrow());
    }
}
