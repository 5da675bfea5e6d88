package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.proxy.ui.ConsoleFixture;
import io.plugboard.tenant.SupportSwitchService;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * Customer success, even with changes enabled for their support session, can never change where a connector sends
 * secrets: the service refuses it, whatever the confirmation. Everything else about the connector stays theirs to
 * fix, and so does adding a connector (it holds no secrets yet).
 */
class SupportDestinationEditTest extends BrowserlessViewTest {

    private static final String SUPPORT = "support@plugboard.local";
    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    CustomConnectorService customConnectors;
    @Autowired
    TenantConnectors connectors;

    private ConsoleFixture fixture;
    private UUID tenantId;
    private String appKey;

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
    void supportWithChangesEnabled() {
        fixture = ConsoleFixture.create(context, provider, "support-dest", 200);
        tenantId = fixture.tenant().id();
        appKey = fixture.credentials().getFirst().appKey();
        SignedIn.as(jdbc, SUPPORT);
        supportSwitch.switchTo(tenantId, "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": wrong venue");
        supportSwitch.enableChanges();
    }

    @Test
    void aDestinationEditIsRefusedEvenConfirmedAndWithChangesEnabled() {
        String yaml = customConnectors.toYaml(connectors.find(tenantId, appKey).orElseThrow().definition());
        ConnectorDefinition moved = customConnectors.parse(yaml.replace(provider.baseUrl(), "https://harvest.example"));
        DestinationImpact shown = customConnectors.impact(tenantId, moved);

        assertThatThrownBy(() -> customConnectors.save(tenantId, moved, shown))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("Customer success cannot change where");
        ConnectorDefinition headerMoved = customConnectors.parse(yaml.replace("X-Api-Key", "X-Other-Key"));
        assertThatThrownBy(() -> customConnectors.save(tenantId, headerMoved, customConnectors.impact(tenantId,
                headerMoved))).isInstanceOf(AccessDeniedException.class);

        assertThat(shown.credentials()).isEqualTo(3);
        assertThat(connectors.find(tenantId, appKey).orElseThrow().definition().api().baseUrl())
                .startsWith(provider.baseUrl());
        assertThat(jdbc.queryForList("SELECT status FROM credentials WHERE tenant_id = ?", String.class, tenantId))
                .containsOnly("ACTIVE");
    }

    @Test
    void editsThatKeepTheDestinationAndNewConnectorsStillGoThrough() {
        ConnectorDefinition current = connectors.find(tenantId, appKey).orElseThrow().definition();
        String yaml = customConnectors.toYaml(current);

        customConnectors.save(tenantId, customConnectors.parse(yaml.replaceFirst("(?m)^name: .*",
                "name: Renamed by support")));
        customConnectors.save(tenantId, customConnectors.parse(yaml.replaceFirst("(?m)^appKey: .*",
                "appKey: support-added").replace(provider.baseUrl(), "https://api.example.com")));

        assertThat(connectors.find(tenantId, appKey).orElseThrow().name()).isEqualTo("Renamed by support");
        assertThat(connectors.find(tenantId, "support-added")).isPresent();
        assertThat(jdbc.queryForList("SELECT status FROM credentials WHERE tenant_id = ?", String.class, tenantId))
                .containsOnly("ACTIVE");
    }
}
